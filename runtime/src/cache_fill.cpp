// get_or_load: read-through with stampede protection and early refresh (docs/kinds/cache.md).
//
// On a miss, the caller that takes the load lock `<key>:_fill` (SET NX PX with a random token)
// runs the loader, writes the entry and releases the lock by compare-and-delete. Every other
// caller polls the entry with bounded exponential backoff; when the lock disappears without an
// entry (the loader threw, or its process died and the lock expired) the next poller takes the
// lock and loads. A caller never waits much longer than the lock's TTL: past it, it loads
// without the lock (another slow loader keeps taking it), so a crashed or stuck loader can
// delay callers but never block or fail them.
//
// An entry whose bytes do not decode (written by another writer, or by an older version of the
// value type) is treated as missing: the caller that takes the lock loads and overwrites it, and
// the call reports a degraded miss instead of failing until the entry's TTL ends.
//
// Early and late refresh are decided from the entry's PTTL, the server's clock: refresh_ahead
// (a share of the TTL left), XFetch (early_refresh: -delta * beta * ln(rand) >= the time left,
// delta the load time this process measured for the key) and stale (past its TTL, the entry is
// kept for `stale` more and served while one caller reloads). Every write-back is
// compare-and-set against what the reload found, so a slow reload never overwrites a newer write.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <random>
#include <string_view>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/script.hpp"
#include "keyspace/kinds/cache.hpp"
#include "keyspace/kinds/companion.hpp"

namespace keyspace::cache {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kFirstPause{2};
constexpr milliseconds kLongestPause{100};

// The entry and its remaining TTL in one round trip: {value, pttl}, or nil when missing.
const Script& read_script() {
  static const Script script(R"lua(
local value = redis.call('GET', KEYS[1])
if not value then return false end
return {value, redis.call('PTTL', KEYS[1])}
)lua");
  return script;
}

struct Entry {
  std::string bytes;
  std::int64_t pttl_ms = -1;
};

std::string new_token() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("{:016x}{:016x}", random(), random());
}

milliseconds load_lock_ttl(const KeySpec& spec) {
  return spec.ttl.count() > 0 ? std::min(spec.ttl, kMaxLoadLock) : kMaxLoadLock;
}

// XFetch's delta: how long this process's loads of each key took, a moving average (ms) per key
// name. Until a process has loaded a key once, it has no delta and refreshes nothing early.
class LoadTimes {
 public:
  static LoadTimes& instance() {
    static LoadTimes times;
    return times;
  }
  double get(std::string_view name) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = ms_.find(std::string(name));
    return it == ms_.end() ? 0 : it->second;
  }
  void add(std::string_view name, double ms) {
    const std::lock_guard<std::mutex> lock(mutex_);
    double& average = ms_[std::string(name)];
    average = average == 0 ? ms : 0.8 * average + 0.2 * ms;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, double> ms_;
};

// A random number in (0, 1].
double unit_random() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  return 1.0 - std::uniform_real_distribution<double>(0.0, 1.0)(random);
}

// One get_or_load call.
class Fill {
 public:
  Fill(Client& client, const KeySpec& spec, const CachePolicy& policy, const std::string& key,
       const std::vector<std::string>& tag_keys, const std::function<std::string()>& load,
       const std::function<bool(const std::string&)>& accept)
      : client_(client), spec_(spec), policy_(policy), key_(key), fill_key_(companion_key(client, key, "_fill")),
        tag_keys_(tag_keys), load_(load), accept_(accept), token_(new_token()) {}

  std::string run() {
    std::optional<Entry> entry = read();
    outcome_ = entry ? CacheOutcome::hit : corrupt_ ? CacheOutcome::degraded_miss : CacheOutcome::miss;
    if (!entry) return wait_or_load();
    if (left(*entry) <= 0) outcome_ = CacheOutcome::stale;
    if (refresh_due(*entry)) return refresh(std::move(*entry));
    return std::move(entry->bytes);
  }

  CacheOutcome outcome() const noexcept { return outcome_; }
  // The bytes this caller loaded, once it ran the loader (a later failure must not load twice).
  const std::optional<std::string>& loaded() const noexcept { return loaded_; }
  // The value of a hit whose early refresh was attempted (still valid when the refresh fails).
  const std::optional<std::string>& current() const noexcept { return current_; }

 private:
  std::optional<Entry> read() {
    Reply reply = detail::ClientAccess::run_script(client_, spec_, "get_or_load", read_script(), {key_}, {});
    if (reply.is_nil()) {
      found_.reset();
      return std::nullopt;
    }
    if (reply.type != Reply::Type::array || reply.elements.size() != 2) {
      throw CommandError(fmt::format("get_or_load on {}: unexpected reply", spec_.name), spec_.key_template);
    }
    found_ = reply.elements[0].str;
    if (!accept_(reply.elements[0].str)) {
      corrupt_ = true;
      return std::nullopt;
    }
    return Entry{std::move(reply.elements[0].str), reply.elements[1].integer};
  }

  // The time left before the entry's soft expiry (its TTL without the stale allowance), by PTTL.
  std::int64_t left(const Entry& entry) const { return entry.pttl_ms - policy_.stale.count(); }

  bool refresh_due(const Entry& entry) const {
    if (entry.pttl_ms < 0) return false;  // no TTL: written by another writer; leave it
    const std::int64_t ms = left(entry);
    if (ms <= 0) return true;  // stale
    const std::int64_t percent = policy_.refresh_ahead_percent;
    if (percent > 0 && ms * 100 < spec_.ttl.count() * percent) return true;
    if (policy_.early_refresh_beta <= 0) return false;
    const double delta = LoadTimes::instance().get(spec_.name);
    return delta > 0 && -delta * policy_.early_refresh_beta * std::log(unit_random()) >= static_cast<double>(ms);
  }

  bool try_lock() {
    const std::string ttl = std::to_string(load_lock_ttl(spec_).count());
    Reply reply = detail::ClientAccess::execute(client_, spec_, "get_or_load", {"SET", fill_key_, token_, "PX", ttl, "NX"});
    return !reply.is_nil();
  }

  // Never throws: when the release fails, the lock's TTL frees it.
  void unlock() noexcept {
    try {
      // Only while it still holds our token: a loader that outlived its lock must not release the
      // lock of the caller that took it next.
      detail::ClientAccess::run_script(client_, spec_, "get_or_load", delete_if_token_script(), {fill_key_}, {token_});
    } catch (...) {
    }
  }

  // A hit inside the refresh window: the lock's winner reloads, everyone else keeps the value.
  std::string refresh(Entry current) {
    current_ = current.bytes;
    if (!try_lock()) return std::move(current.bytes);
    std::optional<Entry> again;
    try {
      again = read();  // a caller that refreshed just before we locked leaves nothing to do
    } catch (...) {
      unlock();
      throw;
    }
    if (again && again->pttl_ms > current.pttl_ms) {  // rewritten since we read it
      unlock();
      return std::move(again->bytes);
    }
    if (again) current_ = again->bytes;  // the last entry accepted is the one to fall back on
    return load_and_write(true);
  }

  std::string wait_or_load() {
    const Clock::time_point deadline = Clock::now() + load_lock_ttl(spec_);
    milliseconds pause = kFirstPause;
    for (;;) {
      if (try_lock()) return fill_locked();
      const Clock::time_point now = Clock::now();
      if (now >= deadline) break;
      std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - now));
      pause = std::min(pause * 2, kLongestPause);
      if (std::optional<Entry> entry = read()) return std::move(entry->bytes);
    }
    return load_and_write(false);
  }

  // Holding the lock: a previous holder may have written the entry just before releasing it.
  std::string fill_locked() {
    std::optional<Entry> entry;
    try {
      entry = read();
    } catch (...) {
      unlock();
      throw;
    }
    if (!entry) return load_and_write(true);
    unlock();
    return std::move(entry->bytes);
  }

  // Writes back only over what the last read found (the entry, its undecodable bytes, or
  // nothing): a newer write made while the loader ran is kept, and this caller's value returned.
  std::string load_and_write(bool locked) {
    try {
      const std::optional<std::string> expected = found_;
      const Clock::time_point start = Clock::now();
      loaded_ = load_();
      LoadTimes::instance().add(spec_.name,
                                std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      write_back_raw(client_, spec_, policy_, key_, *loaded_, tag_keys_, expected);
    } catch (...) {
      if (locked) unlock();
      throw;
    }
    if (locked) unlock();
    return *loaded_;
  }

  Client& client_;
  const KeySpec& spec_;
  const CachePolicy& policy_;
  const std::string& key_;
  const std::string fill_key_;
  const std::vector<std::string>& tag_keys_;
  const std::function<std::string()>& load_;
  const std::function<bool(const std::string&)>& accept_;
  const std::string token_;
  CacheOutcome outcome_ = CacheOutcome::miss;
  bool corrupt_ = false;  // an entry was read that did not decode
  std::optional<std::string> found_;  // the entry's bytes at the last read; nullopt: missing
  std::optional<std::string> loaded_;
  std::optional<std::string> current_;
};

}  // namespace

std::string get_or_load_raw(Client& client, const KeySpec& spec, const CachePolicy& policy, const std::string& key,
                            const std::vector<std::string>& tag_keys, const std::function<std::string()>& load,
                            const std::function<bool(const std::string&)>& accept) {
  Fill fill(client, spec, policy, key, tag_keys, load, accept);
  try {
    std::string bytes = fill.run();
    detail::ClientAccess::report_cache(client, spec, fill.outcome());
    return bytes;
  } catch (const ConnectionError&) {
    if (policy.on_error != CacheOnError::miss) throw;
    if (fill.loaded()) {
      detail::ClientAccess::report_cache(client, spec, CacheOutcome::degraded_miss);
      return *fill.loaded();  // only the write-back failed
    }
    if (fill.current()) {
      detail::ClientAccess::report_cache(client, spec, CacheOutcome::hit);
      return *fill.current();  // the early refresh failed; the entry read is still valid
    }
    detail::ClientAccess::report_cache(client, spec, CacheOutcome::degraded_miss);
    // Redis just failed this call: the loader's value is served without an attempt to write
    // it (which would only add a second timeout to the caller's latency).
    return load();
  }
}

}  // namespace keyspace::cache
