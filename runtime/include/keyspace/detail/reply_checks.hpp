#pragma once
// Runtime internals (keyspace/detail/): the wire plumbing under the kinds' operations, not an
// API of its own; it changes whenever the runtime API version (keyspace/version.hpp) does.
// Checks of a reply's type shared by the operations of every kind: a reply of a type the
// operation does not expect is a CommandError naming the key template.

#include <cstdint>
#include <string_view>

#include "keyspace/detail/reply.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace::detail {

[[noreturn]] void throw_unexpected_reply(const KeySpec& spec, std::string_view op, const Reply& reply);

// The integer of an integer reply.
std::int64_t expect_integer(const KeySpec& spec, std::string_view op, const Reply& reply);

}  // namespace keyspace::detail
