#pragma once
// The Redis commands each operation of the catalog (emit/cpp/operations.hpp) sends, as ACL
// command rules name them ("get", "script|load"): those sent directly and those its Lua scripts
// call, since Redis checks a script's commands against the caller's ACL too. A test
// (tests/unit/generator/acl_test.cpp) fails when an operation of the catalog has no entry here.

#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace keyspace::gen {

// The commands of operation `operation` of `kind`; throws std::out_of_range for an operation the
// table does not know.
const std::vector<std::string_view>& operation_commands(Kind kind, std::string_view operation);

// What the writer of a tagged key sends to its tag sets, whatever the key's kind: filing,
// pruning and the namespace's invalidate_<tag>.
const std::vector<std::string_view>& tag_write_commands();

// What every connection sends, whatever its keys (the handshake, health checks).
const std::vector<std::string_view>& connection_commands();

// Whether a read of `key` writes in Redis' eyes (a sliding session's get renews its TTL), so
// that its readers need write permission on it too.
bool reads_write(const Key& key);

}  // namespace keyspace::gen
