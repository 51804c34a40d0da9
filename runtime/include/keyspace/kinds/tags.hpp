#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// Tags of any kind that holds data (value, hash, set, sorted_set, list, stream, session, cache):
// a tag set `<namespace>:_tag:<tag>` lists the keys tagged <tag>, so that one call deletes them
// all without KEYS or SCAN (docs/tags.md).
//
// Invariant: every live tagged key is a member of its tag sets, and each tag set outlives its
// members. Kinds other than cache file a key *before* their own write (a crash in between leaves
// a member that does not exist, which is harmless, never an untagged live key); the cache's
// write script does it atomically. Members that no longer exist are pruned on a sample of
// filings, so a tag set does not grow forever.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace::tags {

// Filing happens one round trip before the kind's write sets the key's TTL: the tag set's TTL is
// raised to the member's TTL plus this margin, so that it still outlives the member.
inline constexpr std::chrono::milliseconds kFilingMargin{10'000};
// Every kPruneEvery-th filing of a process prunes the tag sets it filed to.
inline constexpr std::uint64_t kPruneEvery = 16;
// A pruning round checks this many random members; rounds repeat (at most kPruneRounds) while
// at least a quarter of the sample was gone, like Redis's own active expiry.
inline constexpr std::int64_t kPruneSample = 20;
inline constexpr int kPruneRounds = 4;
// Invalidation pops and unlinks this many members per round trip.
inline constexpr std::int64_t kInvalidateBatch = 500;

// Adds `members` (the key and, for an indexed session, its index) to each tag set and raises the
// set's TTL to at least `ttl` + kFilingMargin; a persistent member (`ttl` 0) makes the set
// persistent. One script over the tag sets; then, on a sample of calls, prunes them.
void file(Client& client, const KeySpec& spec, const std::vector<std::string>& members, std::chrono::milliseconds ttl,
          const std::vector<std::string>& tag_keys);
// Counts a filing and prunes `tag_keys` when it is the kPruneEvery-th of the process, sparing
// `filing` (members whose write is still to come). Pruning is upkeep: a failure (e.g. an ACL that
// does not let this service see another owner's member) is ignored.
void maybe_prune(Client& client, const KeySpec& spec, const std::vector<std::string>& tag_keys,
                 const std::vector<std::string>& filing = {});
// Removes members of `tag_key` that no longer exist: SRANDMEMBER a sample, then one script
// declaring the sample as KEYS (EXISTS), repeated while a quarter of the sample was gone. A
// missing member is removed (EXISTS again, SREM, in one script) only when this process already
// found it missing at least `confirm_after` before: a member that another process has filed and
// is about to write is missing for less than kFilingMargin, so it is never removed. Returns how
// many members it removed. Members in `filing` are never removed.
std::int64_t prune(Client& client, const KeySpec& spec, const std::string& tag_key,
                   const std::vector<std::string>& filing = {},
                   std::chrono::milliseconds confirm_after = kFilingMargin);
// Deletes every key in tag set `tag_key` (SPOP in batches, UNLINK); returns how many existed.
std::int64_t invalidate(Client& client, const KeySpec& tag_spec, const std::string& tag_key);

}  // namespace keyspace::tags
