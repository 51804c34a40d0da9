#pragma once
// Runtime internals (keyspace/detail/): the wire plumbing under the kinds' operations, not an
// API of its own; it changes whenever the runtime API version (keyspace/version.hpp) does.
// The words of one Redis command, viewed, never copied: a braced list (`{"GET", key}`, whose
// array lives on the caller's stack until the end of the call's full expression), a
// std::vector, or a fixed array. Commands are sent without allocating for their arguments.

#include <cstddef>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace keyspace {

class CommandArgs {
 public:
  CommandArgs() noexcept : data_(nullptr), size_(0) {}
// Keeping the list's array is what GCC's -Winit-list-lifetime warns of; it is safe here because
// a CommandArgs is only ever a parameter: it dies with the call, before the array does.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  CommandArgs(std::initializer_list<std::string_view> args) noexcept : data_(args.begin()), size_(args.size()) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  CommandArgs(const std::vector<std::string_view>& args) noexcept : data_(args.data()), size_(args.size()) {}
  CommandArgs(const std::string_view* data, std::size_t size) noexcept : data_(data), size_(size) {}

  const std::string_view* begin() const noexcept { return data_; }
  const std::string_view* end() const noexcept { return data_ + size_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::string_view front() const noexcept { return data_[0]; }

 private:
  const std::string_view* data_;
  std::size_t size_;
};

}  // namespace keyspace
