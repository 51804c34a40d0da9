#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// The operations of kind lock: a lease-based mutual-exclusion lock in one Redis key.
//
//   <key>          string  the holder's random token (128 bits, CSPRNG), PX = the lease
//   <key>:_fence   string  the fencing counter: raised by every acquisition, never lowered
//
// Acquiring is SET NX PX plus the counter's INCR in one script; releasing and extending compare
// the stored token with the guard's before they DEL / PEXPIRE (scripts), so a holder whose lease
// ran out can never delete or prolong the lock of the next holder.
//
// A Redis lock is for efficiency (no duplicate work), not for correctness: a holder paused past
// its lease (GC, swap, network) keeps running while the next holder works. Where overlapping
// holders would corrupt data, send fencing_token() along with every write to the protected
// resource and have it refuse tokens lower than the highest it has seen (docs/kinds/lock.md).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace {

// Holds one acquisition of a lock; releases it when destroyed. Move-only. The Client must
// outlive the guard.
class [[nodiscard]] LockGuard {
 public:
  LockGuard(Client& client, const KeySpec& spec, std::string key, std::string token,
            std::int64_t fencing_token) noexcept;
  LockGuard(LockGuard&& other) noexcept;
  LockGuard& operator=(LockGuard&& other) noexcept;
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;
  // Releases the lock if this guard still owns it. Never throws: when Redis cannot be reached the
  // lock is left to expire at the end of its lease.
  ~LockGuard();

  // True while Redis still holds this guard's token under the key (one round trip); false after
  // release(), a failed extend() or when the lease ran out.
  bool held() const;
  // Deletes the lock if it is still this guard's; true when it was. The guard is spent afterwards.
  bool release();
  // Sets the remaining lease to `ttl` if the lock is still this guard's; false when it was lost
  // (the guard is then spent). Throws PolicyError, before any command, unless 0 < ttl <= the
  // key's TTL.
  bool extend(std::chrono::milliseconds ttl);
  // Renews the full lease (the key's TTL).
  bool extend() { return extend(spec_.ttl); }

  // Strictly increasing across the acquisitions of one lock key (see docs/kinds/lock.md).
  std::int64_t fencing_token() const noexcept { return fencing_token_; }
  // The key this guard locks (environment prefix included).
  const std::string& key() const noexcept { return key_; }

 private:
  void release_quietly() noexcept;

  Client* client_;  // null once released, lost or moved from
  KeySpec spec_;
  std::string key_;
  std::string token_;
  std::int64_t fencing_token_;
};

namespace lock {

// "<key>:_fence", the fencing counter beside the lock key (companion_key).
std::string fence_key(const Client& client, const std::string& key);

// Takes the lock if it is free, for a lease of spec.ttl; nullopt when someone holds it.
std::optional<LockGuard> try_acquire(Client& client, const KeySpec& spec, std::string key);

// Takes the lock, retrying with jittered exponential backoff (1 ms doubling to 32 ms, never past
// the deadline) for up to `wait`; throws LockTimeout when it stayed held all along.
LockGuard acquire(Client& client, const KeySpec& spec, std::string key, std::chrono::milliseconds wait);

}  // namespace lock
}  // namespace keyspace
