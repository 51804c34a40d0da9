#include "keyspace/detail/reply_checks.hpp"

#include <fmt/format.h>

#include "keyspace/errors.hpp"

namespace keyspace::detail {

void throw_unexpected_reply(const KeySpec& spec, std::string_view op, const Reply& reply) {
  throw CommandError(fmt::format("{} on {}: unexpected reply type {}", op, spec.name, static_cast<int>(reply.type)),
                     spec.key_template);
}

std::int64_t expect_integer(const KeySpec& spec, std::string_view op, const Reply& reply) {
  if (reply.type != Reply::Type::integer) throw_unexpected_reply(spec, op, reply);
  return reply.integer;
}

}  // namespace keyspace::detail
