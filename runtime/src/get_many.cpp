#include "keyspace/kinds/get_many.hpp"

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/errors.hpp"

namespace keyspace::ops {

std::vector<std::optional<std::string>> get_many_raw(Client& client, const KeySpec& spec,
                                                     const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> values;
  // MGET without keys is a syntax error on the server; an empty batch needs no round trip.
  if (keys.empty()) return values;
  std::vector<std::string_view> args;
  args.reserve(keys.size() + 1);
  args.emplace_back("MGET");
  for (const std::string& key : keys) args.emplace_back(key);
  Reply reply = detail::ClientAccess::execute(client, spec, "get_many", args);
  if (reply.type != Reply::Type::array || reply.elements.size() != keys.size()) {
    throw CommandError(fmt::format("get_many on {}: expected an array of {} replies, got type {} with {} elements",
                                   spec.name, keys.size(), static_cast<int>(reply.type), reply.elements.size()),
                       spec.key_template);
  }
  values.reserve(keys.size());
  // MGET answers nil both for a missing key and for a key of another type (a hash, a set, ...).
  for (Reply& element : reply.elements) {
    if (element.type == Reply::Type::string) {
      values.emplace_back(std::move(element.str));
    } else {
      values.emplace_back(std::nullopt);
    }
  }
  return values;
}

}  // namespace keyspace::ops
