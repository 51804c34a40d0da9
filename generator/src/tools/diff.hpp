#pragma once
// Compares two versions of a schema and classifies every change (`keyspace diff`). Each rule has a
// stable code, documented in docs/diff.md:
//   KD1xxx SOURCE  service code that compiled against the old generated API stops compiling
//   KD2xxx DATA    old and new binaries sharing one live Redis disagree about keys or values
//   KD3xxx OPS     behaviour operators see: TTLs, limits, ACLs, lengths, deprecations
// Codes KDx0xx are breaking, KDx1xx are compatible (listed for the reviewer, never failing).

#include <set>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace keyspace::gen {

enum class ChangeCategory { source, data, ops };

struct Change {
  std::string code;  // e.g. "KD2001"
  ChangeCategory category = ChangeCategory::source;
  bool breaking = false;
  std::string subject;   // what changed, e.g. "cache.user_profile" or "type UserProfile.email"
  std::string what;      // one line, e.g. "key template changed"
  std::string old_text;  // empty when there was nothing before (an addition)
  std::string new_text;  // empty when there is nothing after (a removal)
  SourceLoc loc;         // in the new file; in the old file for removals
  std::string key;        // "namespace.key" when the change is about one key
  std::string type_name;  // the declared type when the change is about a type
  // Set by acknowledge(): why a breaking change does not fail the review.
  std::string acknowledged_by;  // "" | "version 1 → 2" | "--allow KD2001"
};

const char* category_name(ChangeCategory c);

// Every change from `before` to `after`, in schema order (namespaces, keys, then types).
std::vector<Change> diff_schemas(const Schema& before, const Schema& after);

// Marks breaking changes that are acknowledged: DATA changes of a key whose `version` increased
// (old and new entries live under different rendered keys), and every change whose code is in
// `allowed`.
void acknowledge(std::vector<Change>& changes, const Schema& before, const Schema& after,
                 const std::set<std::string>& allowed);

// True when some breaking change is not acknowledged.
bool has_unacknowledged_breaking(const std::vector<Change>& changes);

}  // namespace keyspace::gen
