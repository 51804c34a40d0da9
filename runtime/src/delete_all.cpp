#include "keyspace/kinds/delete_all.hpp"

#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/errors.hpp"
#include "per_key.hpp"

namespace keyspace::ops {

namespace {

std::int64_t deleted_count(const Reply& reply, const KeySpec& spec) {
  if (reply.type != Reply::Type::integer) {
    throw CommandError(fmt::format("delete_all on {}: UNLINK answered something else", spec.name), spec.key_template);
  }
  return reply.integer;
}

// SCAN on one server (`node` unset: the standalone server; otherwise one master of a cluster)
// until its cursor comes back to 0, each page unlinked before the next is asked for.
void delete_on(Client& client, const std::optional<Address>& node, const KeySpec& spec, const std::string& pattern,
               DeleteProgress& at, bool last_node, const OnDeleteProgress& progress) {
  const std::string count = std::to_string(kDeleteAllCount);
  std::string cursor = "0";
  // SCAN visits each slot of the server once and comes back to cursor 0: the loop ends.
  bool done = false;
  while (!done) {
    const CommandArgs scan{"SCAN", cursor, "MATCH", pattern, "COUNT", count};
    Reply page = node ? detail::ClientAccess::execute_at(client, *node, spec, "delete_all", scan)
                      : detail::ClientAccess::execute(client, spec, "delete_all", scan);
    if (page.type != Reply::Type::array || page.elements.size() != 2 ||
        page.elements[0].type != Reply::Type::string || page.elements[1].type != Reply::Type::array) {
      throw CommandError(fmt::format("delete_all on {}: SCAN answered something else", spec.name), spec.key_template);
    }
    cursor = std::move(page.elements[0].str);
    ++at.round_trips;
    const std::vector<Reply>& keys = page.elements[1].elements;
    if (node && !keys.empty()) {
      // In a cluster one UNLINK may only name keys of one slot.
      std::vector<std::string_view> names;
      for (const Reply& key : keys) names.emplace_back(key.str);
      for (const Reply& unlinked : detail::per_key(client, spec, "delete_all", "UNLINK", names)) {
        at.deleted += deleted_count(unlinked, spec);
      }
    } else if (!keys.empty()) {
      std::vector<std::string_view> unlink{"UNLINK"};
      for (const Reply& key : keys) unlink.emplace_back(key.str);
      at.deleted += deleted_count(detail::ClientAccess::execute(client, spec, "delete_all", unlink), spec);
    }
    done = cursor == "0";
    at.done = done && last_node;
    if (progress) progress(at);
  }
}

}  // namespace

std::int64_t delete_all(Client& client, const KeySpec& spec, const std::string& pattern,
                        const OnDeleteProgress& progress) {
  DeleteProgress at;
  const std::vector<Address> masters = detail::ClientAccess::cluster_masters(client);
  if (masters.empty()) {
    delete_on(client, std::nullopt, spec, pattern, at, true, progress);
  } else {
    for (std::size_t i = 0; i < masters.size(); ++i) {
      delete_on(client, masters[i], spec, pattern, at, i + 1 == masters.size(), progress);
    }
  }
  return at.deleted;
}

}  // namespace keyspace::ops
