#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// Template-wide delete: every key matching a key template's exact SCAN pattern, by SCAN MATCH
// and UNLINK in bounded rounds, never KEYS (docs/kinds/value.md, "delete_all").

#include <cstdint>
#include <functional>
#include <string>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace {

// Where a delete_all is, told after each round trip.
struct DeleteProgress {
  std::int64_t deleted = 0;      // keys unlinked so far
  std::int64_t round_trips = 0;  // SCAN pages so far (each followed by one UNLINK when it found keys)
  bool done = false;             // the scan came back to its start: this is the last report
};
using OnDeleteProgress = std::function<void(const DeleteProgress&)>;

namespace ops {

// Keys SCAN is asked for per round trip (COUNT), and so at most about as many per UNLINK.
inline constexpr int kDeleteAllCount = 500;

// Deletes every key matching `pattern` (the client's prefix included; glob characters in it are
// those of the template's parameter positions alone); returns how many it deleted. Not atomic:
// a key written while it runs may survive it. In a cluster every master is scanned in turn (a
// slot migrating meanwhile may keep some of its keys). SCAN is retried like every read; an UNLINK that
// fails ends the run with the error (what was deleted stays deleted).
std::int64_t delete_all(Client& client, const KeySpec& spec, const std::string& pattern,
                        const OnDeleteProgress& progress);

}  // namespace ops
}  // namespace keyspace
