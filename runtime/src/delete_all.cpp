#include "keyspace/kinds/delete_all.hpp"

#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/errors.hpp"

namespace keyspace::ops {

std::int64_t delete_all(Client& client, const KeySpec& spec, const std::string& pattern,
                        const OnDeleteProgress& progress) {
  const std::string count = std::to_string(kDeleteAllCount);
  DeleteProgress at;
  std::string cursor = "0";
  // SCAN visits each slot of the keyspace once and comes back to cursor 0: the loop ends.
  do {
    Reply page = detail::ClientAccess::execute(client, spec, "delete_all",
                                               {"SCAN", cursor, "MATCH", pattern, "COUNT", count});
    if (page.type != Reply::Type::array || page.elements.size() != 2 ||
        page.elements[0].type != Reply::Type::string || page.elements[1].type != Reply::Type::array) {
      throw CommandError(fmt::format("delete_all on {}: SCAN answered something else", spec.name), spec.key_template);
    }
    cursor = std::move(page.elements[0].str);
    ++at.round_trips;
    std::vector<std::string_view> unlink{"UNLINK"};
    for (const Reply& key : page.elements[1].elements) unlink.emplace_back(key.str);
    if (unlink.size() > 1) {
      const Reply deleted = detail::ClientAccess::execute(client, spec, "delete_all", unlink);
      if (deleted.type != Reply::Type::integer) {
        throw CommandError(fmt::format("delete_all on {}: UNLINK answered something else", spec.name), spec.key_template);
      }
      at.deleted += deleted.integer;
    }
    at.done = cursor == "0";
    if (progress) progress(at);
  } while (!at.done);
  return at.deleted;
}

}  // namespace keyspace::ops
