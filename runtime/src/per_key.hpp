#pragma once
// One single-key command for each of many keys (internal): what a multi-key command becomes in
// a Redis Cluster, where one command may only name keys of one slot.

#include <string_view>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/detail/reply.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace::detail {

// `command key` for each key, sent as one pipeline (one per node of a cluster); the replies in
// the order of the keys. An error reply throws CommandError naming `op` and the template.
std::vector<Reply> per_key(Client& client, const KeySpec& spec, std::string_view op, std::string_view command,
                           const std::vector<std::string_view>& keys);

}  // namespace keyspace::detail
