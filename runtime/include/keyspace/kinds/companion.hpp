#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// The companion keys a kind keeps beside its declared key (a lock's `:_fence`, a queue's
// `:_processing` and `:_inflight`, a cache entry's `:_fill`), touched by the same scripts as
// the key itself, so in a Redis Cluster they must hash to its slot.

#include <string>
#include <string_view>

#include "keyspace/client.hpp"

namespace keyspace {

// `<key>:<suffix>`; for a cluster client whose key carries no hash tag, `{<key>}:<suffix>`.
// A key without a hash tag hashes as a whole, and `{<key>}` makes the whole key the
// companion's tag, so both land in one slot. A key with a hash tag (the schema's `hash_tag`)
// already gives the suffixed name its slot. Rendered keys hold '{' only in a hash tag:
// parameter values have theirs escaped.
std::string companion_key(const Client& client, std::string_view key, std::string_view suffix);

}  // namespace keyspace
