#include "keyspace/detail/script.hpp"

namespace keyspace {

// The SHA is cached per Script object and shared by all threads; the mutex only guards the
// string itself (a racing second SCRIPT LOAD is harmless: the server returns the same SHA).
std::string Script::sha() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sha_;
}

void Script::set_sha(std::string sha) const {
  std::lock_guard<std::mutex> lock(mutex_);
  sha_ = std::move(sha);
}

const Script& delete_if_token_script() {
  static const Script script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua");
  return script;
}

}  // namespace keyspace
