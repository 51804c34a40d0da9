#include "keyspace/kinds/tags.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/reply_checks.hpp"
#include "keyspace/detail/script.hpp"
#include "keyspace/errors.hpp"
#include "per_key.hpp"

namespace keyspace::tags {

namespace {

// KEYS: the tag sets; ARGV[1]: TTL in ms ('0': a persistent member); ARGV[2..]: the members.
// PTTL is read before SADD: -2 is a new set (give it the TTL), -1 a persistent one (keep it so),
// a lower TTL is raised; a TTL never shrinks, so the set outlives every member it lists.
const Script& file_script() {
  static const Script script(R"lua(
local ttl = tonumber(ARGV[1])
for i = 1, #KEYS do
  local pttl = redis.call('PTTL', KEYS[i])
  redis.call('SADD', KEYS[i], unpack(ARGV, 2))
  if ttl == 0 then
    if pttl ~= -1 then redis.call('PERSIST', KEYS[i]) end
  elseif pttl == -2 or (pttl >= 0 and pttl < ttl) then
    redis.call('PEXPIRE', KEYS[i], ttl)
  end
end
return 1
)lua");
  return script;
}

// KEYS[1]: the tag set; KEYS[2..]: members sampled from it; ARGV[1]: '1' to remove the ones
// that do not exist, '0' only to name them. Returns the members that do not exist.
const Script& prune_script() {
  static const Script script(R"lua(
local gone = {}
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then gone[#gone + 1] = KEYS[i] end
end
if ARGV[1] == '1' and #gone > 0 then redis.call('SREM', KEYS[1], unpack(gone)) end
return gone
)lua");
  return script;
}

std::atomic<std::uint64_t> filings{0};

// The members pruning found missing, and since when (per process). A member is removed only when
// it is still missing `confirm_after` later, so one that another process has filed but not yet
// written (the write lands within kFilingMargin of the filing) is never removed.
class Suspects {
 public:
  static constexpr std::size_t kMost = 100'000;  // beyond, start over: pruning is upkeep
  using Clock = std::chrono::steady_clock;

  static Suspects& instance() {
    static Suspects suspects;
    return suspects;
  }
  // Records `member` of `tag_key` as missing now; true when it was missing `confirm_after` ago.
  bool confirmed(const std::string& tag_key, const std::string& member, std::chrono::milliseconds confirm_after) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (since_.size() >= kMost) since_.clear();
    const Clock::time_point now = Clock::now();
    const auto [it, added] = since_.try_emplace(tag_key + '\n' + member, now);
    if (now - it->second < confirm_after) return false;
    since_.erase(it);
    return true;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, Clock::time_point> since_;
};

}  // namespace

void file(Client& client, const KeySpec& spec, const std::vector<std::string>& members, std::chrono::milliseconds ttl,
          const std::vector<std::string>& tag_keys) {
  if (tag_keys.empty() || members.empty()) return;
  const std::string ttl_ms = std::to_string(ttl.count() > 0 ? (ttl + kFilingMargin).count() : 0);
  const std::vector<std::string_view> keys(tag_keys.begin(), tag_keys.end());
  std::vector<std::string_view> args{ttl_ms};
  args.insert(args.end(), members.begin(), members.end());
  if (client.options().topology == Topology::cluster) {
    // Each tag set is in a slot of its own: one filing per set.
    for (const std::string_view key : keys) {
      detail::ClientAccess::run_script(client, spec, "tags.file", file_script(), {key}, args);
    }
  } else {
    detail::ClientAccess::run_script(client, spec, "tags.file", file_script(), keys, args);
  }
  maybe_prune(client, spec, tag_keys, members);
}

void maybe_prune(Client& client, const KeySpec& spec, const std::vector<std::string>& tag_keys,
                 const std::vector<std::string>& filing) {
  if (filings.fetch_add(1, std::memory_order_relaxed) % kPruneEvery != kPruneEvery - 1) return;
  try {
    for (const std::string& tag_key : tag_keys) prune(client, spec, tag_key, filing);
  } catch (const Error&) {
    // Upkeep only (see the header): the next sampled filing tries again.
  }
}

namespace {

// In a cluster the members live in other slots than their tag set, so no script may check and
// remove them in one step: EXISTS for each member, then SREM of the missing ones. A member
// written again between the two loses its filing (an invalidation then misses it, and it
// expires by its TTL); the confirmation delay of prune() keeps that window to rewrites of a
// key missing for kFilingMargin.
std::vector<std::string> missing_in_cluster(Client& client, const KeySpec& spec, const std::string& tag_key,
                                            const std::vector<std::string>& candidates, bool remove) {
  const std::vector<std::string_view> keys(candidates.begin(), candidates.end());
  const std::vector<Reply> exists = detail::per_key(client, spec, "tags.prune", "EXISTS", keys);
  std::vector<std::string> gone;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (exists[i].type == Reply::Type::integer && exists[i].integer == 0) gone.push_back(candidates[i]);
  }
  if (remove && !gone.empty()) {
    std::vector<std::string_view> srem{"SREM", tag_key};
    srem.insert(srem.end(), gone.begin(), gone.end());
    detail::ClientAccess::execute(client, spec, "tags.prune", srem);
  }
  return gone;
}

// The members of `candidates` that do not exist; with `remove`, also removed from the tag set.
std::vector<std::string> missing(Client& client, const KeySpec& spec, const std::string& tag_key,
                                 const std::vector<std::string>& candidates, bool remove) {
  if (client.options().topology == Topology::cluster) return missing_in_cluster(client, spec, tag_key, candidates, remove);
  std::vector<std::string_view> keys{tag_key};
  keys.insert(keys.end(), candidates.begin(), candidates.end());
  Reply gone = detail::ClientAccess::run_script(client, spec, "tags.prune", prune_script(), keys, {remove ? "1" : "0"});
  if (gone.type != Reply::Type::array) detail::throw_unexpected_reply(spec, "tags.prune", gone);
  std::vector<std::string> out;
  for (Reply& member : gone.elements) out.push_back(std::move(member.str));
  return out;
}

}  // namespace

std::int64_t prune(Client& client, const KeySpec& spec, const std::string& tag_key,
                   const std::vector<std::string>& filing, std::chrono::milliseconds confirm_after) {
  const std::string sample = std::to_string(kPruneSample);
  std::int64_t removed = 0;
  for (int round = 0; round < kPruneRounds; ++round) {
    Reply members = detail::ClientAccess::execute(client, spec, "tags.prune", {"SRANDMEMBER", tag_key, sample});
    if (members.type != Reply::Type::array) detail::throw_unexpected_reply(spec, "tags.prune", members);
    if (members.elements.empty()) break;
    std::vector<std::string> sampled;
    for (Reply& member : members.elements) {
      if (std::find(filing.begin(), filing.end(), member.str) == filing.end()) sampled.push_back(std::move(member.str));
    }
    if (sampled.empty()) break;
    const std::vector<std::string> gone = missing(client, spec, tag_key, sampled, false);
    std::vector<std::string> confirmed;
    for (const std::string& member : gone) {
      if (Suspects::instance().confirmed(tag_key, member, confirm_after)) confirmed.push_back(member);
    }
    if (!confirmed.empty()) {
      removed += static_cast<std::int64_t>(missing(client, spec, tag_key, confirmed, true).size());
    }
    if (gone.size() * 4 < members.elements.size()) break;
  }
  return removed;
}

// Pops members in batches and unlinks them. The number of rounds is bounded by the set's size
// when invalidation starts: keys tagged while it runs may survive it (they were written after
// the call began). SPOP and UNLINK are separate commands (the members are not declared keys, so
// no script may touch them): a process that dies between the two leaves those keys to expire by
// their TTL.
std::int64_t invalidate(Client& client, const KeySpec& tag_spec, const std::string& tag_key) {
  const std::string batch = std::to_string(kInvalidateBatch);
  Reply size = detail::ClientAccess::execute(client, tag_spec, "invalidate_tag", {"SCARD", tag_key});
  if (size.type != Reply::Type::integer) detail::throw_unexpected_reply(tag_spec, "invalidate_tag", size);
  const std::int64_t rounds = size.integer / kInvalidateBatch + 1;
  std::int64_t deleted = 0;
  for (std::int64_t round = 0; round < rounds; ++round) {
    Reply members = detail::ClientAccess::execute(client, tag_spec, "invalidate_tag", {"SPOP", tag_key, batch});
    if (members.is_nil() || (members.type == Reply::Type::array && members.elements.empty())) break;
    if (members.type != Reply::Type::array) detail::throw_unexpected_reply(tag_spec, "invalidate_tag", members);
    if (client.options().topology == Topology::cluster) {
      // The members are spread over the slots: one UNLINK each, one pipeline per node.
      std::vector<std::string_view> keys;
      for (const Reply& member : members.elements) keys.emplace_back(member.str);
      for (const Reply& unlinked : detail::per_key(client, tag_spec, "invalidate_tag", "UNLINK", keys)) {
        deleted += unlinked.integer;
      }
      continue;
    }
    std::vector<std::string_view> args{"UNLINK"};
    for (const Reply& member : members.elements) args.emplace_back(member.str);
    Reply unlinked = detail::ClientAccess::execute(client, tag_spec, "invalidate_tag", args);
    if (unlinked.type != Reply::Type::integer) detail::throw_unexpected_reply(tag_spec, "invalidate_tag", unlinked);
    deleted += unlinked.integer;
  }
  return deleted;
}

}  // namespace keyspace::tags
