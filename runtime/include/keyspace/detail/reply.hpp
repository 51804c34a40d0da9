#pragma once
// Runtime internals (keyspace/detail/): the wire plumbing under the kinds' operations, not an
// API of its own; it changes whenever the runtime API version (keyspace/version.hpp) does.
// An owned copy of a Redis reply, so that hiredis never appears in a public header.

#include <cstdint>
#include <string>
#include <vector>

namespace keyspace {

struct Reply {
  enum class Type { nil, string, status, integer, array, error };

  Type type = Type::nil;
  std::string str;              // string, status and error replies
  std::int64_t integer = 0;     // integer replies
  std::vector<Reply> elements;  // array replies

  bool is_nil() const noexcept { return type == Type::nil; }
};

}  // namespace keyspace
