#include "keyspace/kinds/lock.hpp"

#include <algorithm>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "keyspace/kinds/companion.hpp"

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/reply_checks.hpp"
#include "keyspace/errors.hpp"
#include "random_token.hpp"

namespace keyspace {
namespace {

constexpr std::size_t kTokenBytes = 16;  // 128 bits: unguessable, never shared by two holders
// The fencing counter outlives any lease by far; see fence_floor below for why its expiry
// cannot make tokens go backwards.
constexpr std::chrono::milliseconds kFenceTtl = std::chrono::hours(24);
constexpr std::chrono::milliseconds kFirstBackoff{1};
constexpr std::chrono::milliseconds kMaxBackoff{32};

// KEYS: lock, fence. ARGV: token, lease (ms), fence TTL (ms). Returns the fencing token, or nil
// when the lock is held. The token is INCR of the counter, raised to the server clock in
// microseconds when that is higher: so tokens keep increasing even after the counter expired
// (or was lost in a failover), as long as the server clock does not step back.
const Script& acquire_script() {
  static const Script script(R"lua(
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
local token = redis.call('INCR', KEYS[2])
local now = redis.call('TIME')
local floor = now[1] .. string.format('%06d', tonumber(now[2]))
if token < tonumber(floor) then
  redis.call('SET', KEYS[2], floor)
  token = tonumber(floor)
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return token
)lua");
  return script;
}

// KEYS: lock. ARGV: token, lease (ms). Prolongs the lock only if it still holds this token.
const Script& extend_script() {
  static const Script script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
)lua");
  return script;
}

bool script_said_yes(Client& client, const KeySpec& spec, std::string_view op, const Script& script,
                     const std::string& key, const std::vector<std::string_view>& args) {
  const Reply reply = detail::ClientAccess::run_script(client, spec, op, script, {key}, args);
  if (reply.type != Reply::Type::integer) detail::throw_unexpected_reply(spec, op, reply);
  return reply.integer == 1;
}

// A sleep drawn uniformly from [step / 2, step]: contenders spread out instead of retrying in
// lockstep, and none waits much longer than the lock needs to come free.
std::chrono::microseconds jittered(std::chrono::milliseconds step) {
  thread_local std::minstd_rand random{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> pick(step.count() * 500, step.count() * 1000);
  return std::chrono::microseconds(pick(random));
}

}  // namespace

LockGuard::LockGuard(Client& client, const KeySpec& spec, std::string key, std::string token,
                     std::int64_t fencing_token) noexcept
    : client_(&client), spec_(spec), key_(std::move(key)), token_(std::move(token)), fencing_token_(fencing_token) {}

LockGuard::LockGuard(LockGuard&& other) noexcept
    : client_(std::exchange(other.client_, nullptr)),
      spec_(other.spec_),
      key_(std::move(other.key_)),
      token_(std::move(other.token_)),
      fencing_token_(other.fencing_token_) {}

LockGuard& LockGuard::operator=(LockGuard&& other) noexcept {
  if (this == &other) return *this;
  release_quietly();
  client_ = std::exchange(other.client_, nullptr);
  spec_ = other.spec_;
  key_ = std::move(other.key_);
  token_ = std::move(other.token_);
  fencing_token_ = other.fencing_token_;
  return *this;
}

LockGuard::~LockGuard() { release_quietly(); }

void LockGuard::release_quietly() noexcept {
  if (!client_) return;
  try {
    release();
  } catch (...) {
    client_ = nullptr;  // unreachable Redis: the lock expires with its lease
  }
}

bool LockGuard::held() const {
  if (!client_) return false;
  const Reply reply = detail::ClientAccess::execute(*client_, spec_, "lock.held", {"GET", key_});
  return reply.type == Reply::Type::string && reply.str == token_;
}

bool LockGuard::release() {
  if (!client_) return false;
  Client& client = *std::exchange(client_, nullptr);  // spent even when the script fails
  return script_said_yes(client, spec_, "lock.release", delete_if_token_script(), key_, {token_});
}

bool LockGuard::extend(std::chrono::milliseconds ttl) {
  if (ttl.count() <= 0 || ttl > spec_.ttl) {
    throw PolicyError(fmt::format("extend on {}: a lease of {} ms is outside (0, {}] ms, the key's TTL", spec_.name,
                                  ttl.count(), spec_.ttl.count()),
                      spec_.key_template);
  }
  if (!client_) return false;
  const std::string lease = std::to_string(ttl.count());
  const bool extended = script_said_yes(*client_, spec_, "lock.extend", extend_script(), key_, {token_, lease});
  if (!extended) client_ = nullptr;  // lost: the next holder's lock is not ours to touch
  return extended;
}

namespace lock {

std::string fence_key(const Client& client, const std::string& key) { return companion_key(client, key, "_fence"); }

std::optional<LockGuard> try_acquire(Client& client, const KeySpec& spec, std::string key) {
  std::string token = random_hex(kTokenBytes);
  const std::string lease = std::to_string(spec.ttl.count());
  const std::string fence_ttl = std::to_string(std::max(kFenceTtl, spec.ttl).count());
  const Reply reply = detail::ClientAccess::run_script(client, spec, "lock.try_acquire", acquire_script(), {key, fence_key(client, key)},
                                        {token, lease, fence_ttl});
  if (reply.is_nil()) return std::nullopt;
  if (reply.type != Reply::Type::integer) detail::throw_unexpected_reply(spec, "lock.try_acquire", reply);
  return LockGuard(client, spec, std::move(key), std::move(token), reply.integer);
}

LockGuard acquire(Client& client, const KeySpec& spec, std::string key, std::chrono::milliseconds wait) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + wait;
  std::chrono::milliseconds step = kFirstBackoff;
  while (true) {
    if (std::optional<LockGuard> guard = try_acquire(client, spec, key)) return std::move(*guard);
    const Clock::time_point now = Clock::now();
    if (now >= deadline) break;
    std::this_thread::sleep_for(std::min<Clock::duration>(jittered(step), deadline - now));
    step = std::min(step * 2, kMaxBackoff);
  }
  throw LockTimeout(fmt::format("acquire on {}: still held by another holder after {} ms", spec.name, wait.count()),
                    spec.key_template);
}

}  // namespace lock
}  // namespace keyspace
