#pragma once
// Runtime internals (keyspace/detail/): the wire plumbing under the kinds' operations, not an
// API of its own; it changes whenever the runtime API version (keyspace/version.hpp) does.
// A Lua script run with EVALSHA, falling back to EVAL when the server answers NOSCRIPT.
// Scripts are defined once (usually as function-local statics) and shared between threads.

#include <mutex>
#include <utility>
#include <string>
#include <string_view>

namespace keyspace {

class Script {
 public:
  explicit Script(std::string source) : source_(std::move(source)) {}
  const std::string& source() const noexcept { return source_; }

  // SHA1 the server reported for this script; empty until the script was loaded once.
  std::string sha() const;
  void set_sha(std::string sha) const;

 private:
  std::string source_;
  mutable std::mutex mutex_;
  mutable std::string sha_;
};

// KEYS[1]: a key holding a random token; ARGV[1]: a token. Deletes the key only while it still
// holds that token (1), else 0: a holder whose lease expired must not release the next holder's
// lock. Used by locks and by the load lock of caches.
const Script& delete_if_token_script();

}  // namespace keyspace
