#pragma once
// Commands in the Redis protocol (RESP2 multi-bulk requests), written by the runtime itself
// (internal) into a buffer each connection reuses: one size computation and one copy per
// argument, and no allocation once the buffer has grown, where hiredis' redisFormatCommandArgv
// builds a new sds string piece by piece for every command.

#include <cstddef>
#include <memory>
#include <string>

#include "keyspace/detail/command_args.hpp"

namespace keyspace::detail {

// Appends `*<n>\r\n`, then `$<len>\r\n<arg>\r\n` for each argument, to `out` (the queued
// commands of a keyspace::Batch).
void append_command(std::string& out, CommandArgs args);

class CommandBuffer {
 public:
  // Appends `*<n>\r\n`, then `$<len>\r\n<arg>\r\n` for each argument.
  void append(CommandArgs args);

  const char* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  // Empties the buffer; an allocation that a large value needed is given back.
  void clear() noexcept;

 private:
  char* grow_by(std::size_t bytes);  // where the next `bytes` bytes go

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace keyspace::detail
