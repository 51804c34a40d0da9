#include "keyspace/kinds/get_many.hpp"

#include <functional>
#include <map>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/pipeline_layout.hpp"
#include "keyspace/errors.hpp"
#include "resp.hpp"
#include "slot.hpp"

namespace keyspace::ops {

namespace {

// MGET answers an array with one element per key: nil both for a missing key and for a key of
// another type (a hash, a set, ...).
void take_values(Reply& reply, std::size_t expected, const KeySpec& spec,
                 const std::function<void(std::size_t, std::optional<std::string>)>& put) {
  if (reply.type != Reply::Type::array || reply.elements.size() != expected) {
    throw CommandError(fmt::format("get_many on {}: expected an array of {} replies, got type {} with {} elements",
                                   spec.name, expected, static_cast<int>(reply.type), reply.elements.size()),
                       spec.key_template);
  }
  for (std::size_t i = 0; i < expected; ++i) {
    Reply& element = reply.elements[i];
    put(i, element.type == Reply::Type::string ? std::optional<std::string>(std::move(element.str)) : std::nullopt);
  }
}

// In a cluster one MGET may only name keys of one slot: one MGET per slot, all of them in one
// pipeline (one per node), the values put back in the order of the keys. Not atomic: another
// client's write may land between the MGETs.
std::vector<std::optional<std::string>> get_many_by_slot(Client& client, const KeySpec& spec,
                                                         const std::vector<std::string>& keys) {
  std::map<std::uint16_t, std::vector<std::size_t>> by_slot;
  for (std::size_t i = 0; i < keys.size(); ++i) by_slot[detail::key_slot(keys[i])].push_back(i);
  std::string commands;
  detail::PipelineLayout layout;
  std::vector<std::string_view> args;
  for (const auto& [slot, indices] : by_slot) {
    args.assign(1, "MGET");
    for (const std::size_t i : indices) args.emplace_back(keys[i]);
    detail::append_command(commands, args);
    layout.add(commands.size(), slot);
  }
  std::vector<RawReply> replies =
      detail::ClientAccess::execute_pipeline(client, spec, "get_many", commands, by_slot.size(), layout);
  std::vector<std::optional<std::string>> values(keys.size());
  std::size_t at = 0;
  for (const auto& [slot, indices] : by_slot) {
    const RawReply& raw = replies[at++];
    if (raw.type() == Reply::Type::error) {
      throw CommandError(fmt::format("get_many on {}: Redis answered: {}", spec.name, raw.str()), spec.key_template);
    }
    Reply reply = raw.copy();
    take_values(reply, indices.size(), spec,
                [&](std::size_t k, std::optional<std::string> value) { values[indices[k]] = std::move(value); });
  }
  return values;
}

}  // namespace

std::vector<std::optional<std::string>> get_many_raw(Client& client, const KeySpec& spec,
                                                     const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> values;
  // MGET without keys is a syntax error on the server; an empty batch needs no round trip.
  if (keys.empty()) return values;
  if (client.options().topology == Topology::cluster) return get_many_by_slot(client, spec, keys);
  std::vector<std::string_view> args;
  args.reserve(keys.size() + 1);
  args.emplace_back("MGET");
  for (const std::string& key : keys) args.emplace_back(key);
  Reply reply = detail::ClientAccess::execute(client, spec, "get_many", args);
  values.reserve(keys.size());
  take_values(reply, keys.size(), spec,
              [&](std::size_t, std::optional<std::string> value) { values.push_back(std::move(value)); });
  return values;
}

}  // namespace keyspace::ops
