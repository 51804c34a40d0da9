#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// The operations of kind queue: a reliable queue with at-least-once delivery.
//
// Three keys per queue, all with the key's TTL (refreshed together on every write):
//   <key>              list  waiting messages: pushed at the head, taken from the tail (FIFO)
//   <key>:_processing  list  messages taken by a consumer and not yet acknowledged
//   <key>:_inflight    zset  message id -> server time (ms) the message was taken
// pop() moves a message atomically from the queue to the processing list (BLMOVE), so a consumer
// that crashes before ack() loses nothing: requeue_stale() moves it back once it has been in
// flight longer than a cut-off. A message may therefore be delivered more than once; consumers
// must be idempotent. Every element is an envelope "<32 hex id>:<encoded value>"; the id is 128
// random bits, unique per push, and names the message in the in-flight index.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "keyspace/client.hpp"
#include "keyspace/kinds/companion.hpp"
#include "keyspace/codec/codec.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace {

// The rendered keys of one queue: the declared key and its two companions.
struct QueueKeys {
  std::string queue;
  std::string processing;  // queue + ":_processing" (companion_key)
  std::string inflight;    // queue + ":_inflight"

  QueueKeys(const Client& client, std::string key)
      : queue(std::move(key)),
        processing(companion_key(client, queue, "_processing")),
        inflight(companion_key(client, queue, "_inflight")) {}
};

namespace queue {

constexpr std::size_t kIdLength = 32;  // hex digits of a 128-bit message id

// The id of an envelope (its first 32 bytes); the payload is everything after "<id>:", nullopt
// when the element is not an envelope (e.g. pushed by hand under the queue's key).
std::string_view envelope_id(std::string_view element) noexcept;
std::optional<std::string_view> envelope_payload(std::string_view element) noexcept;

// Pushes one encoded message and returns its new id. With max_length > 0 the push is refused
// with QueueFull when the queue already holds max_length waiting messages (checked atomically).
std::string push(Client& client, const KeySpec& spec, const QueueKeys& keys, std::string_view payload,
                 std::int64_t max_length);

// Takes the oldest waiting message into the processing list and records when; waits up to
// `timeout` for one (zero or less: does not wait). Returns the envelope, nullopt when none came.
std::optional<std::string> pop_raw(Client& client, const KeySpec& spec, const QueueKeys& keys,
                                   std::chrono::milliseconds timeout);

// Acknowledges a delivery: removes it from processing and the in-flight index (and from the
// queue, should requeue_stale have returned it meanwhile). True when it was still pending.
bool ack(Client& client, const KeySpec& spec, const QueueKeys& keys, const std::string& element);
// Hands a delivery back for redelivery: it goes to the consuming end of the queue. False (and
// nothing changes) when it is no longer in processing: already acknowledged or requeued.
bool nack(Client& client, const KeySpec& spec, const QueueKeys& keys, const std::string& element);

// Moves every message that has been in flight longer than `older_than` (server clock) back to
// the queue and returns how many. A message in processing without an in-flight record (its
// consumer died between taking it and recording it) is recorded as taken now, so a later call
// returns it.
std::int64_t requeue_stale(Client& client, const KeySpec& spec, const QueueKeys& keys,
                           std::chrono::milliseconds older_than);

std::int64_t size(Client& client, const KeySpec& spec, const QueueKeys& keys);        // waiting
std::int64_t processing(Client& client, const KeySpec& spec, const QueueKeys& keys);  // in flight
// Deletes the queue, its processing list and its in-flight index; true when any existed.
bool clear(Client& client, const KeySpec& spec, const QueueKeys& keys);

}  // namespace queue

// One message taken from a queue. Call ack() once it is processed, or nack() to hand it back;
// a delivery dropped without either stays in processing until requeue_stale() returns it (as
// for a consumer that crashed). The Client must outlive the delivery.
template <class Codec>
class [[nodiscard]] Delivery {
 public:
  using value_type = typename Codec::value_type;

  Delivery(Client& client, const KeySpec& spec, QueueKeys keys, std::string element)
      : client_(&client), spec_(spec), keys_(std::move(keys)), element_(std::move(element)) {
    // A message that does not decode is still delivered, so that the consumer can ack() it
    // away instead of having it come back after every requeue_stale().
    try {
      const std::optional<std::string_view> payload = queue::envelope_payload(element_);
      if (!payload) throw_decode_error(spec_, "not a queue message envelope");
      value_ = Codec::decode(*payload, spec_);
    } catch (const DecodeError&) {
      decode_error_ = std::current_exception();
    }
  }

  // Move-only: one delivery, one ack.
  Delivery(Delivery&&) = default;
  Delivery& operator=(Delivery&&) = default;
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;
  ~Delivery() = default;

  // The message; throws DecodeError when it does not decode as the queue's value type.
  const value_type& value() const {
    if (decode_error_) std::rethrow_exception(decode_error_);
    return *value_;
  }
  // The id push() returned for this message.
  std::string_view id() const noexcept { return queue::envelope_id(element_); }

  // Done with the message: it will not be delivered again. False when it was no longer pending
  // (another consumer got it after requeue_stale() and acknowledged it first).
  bool ack() { return queue::ack(*client_, spec_, keys_, element_); }
  // Not done: the message goes back to the queue for another delivery.
  bool nack() { return queue::nack(*client_, spec_, keys_, element_); }

 private:
  Client* client_;
  KeySpec spec_;
  QueueKeys keys_;
  std::string element_;  // the envelope, exactly as stored
  std::optional<value_type> value_;
  std::exception_ptr decode_error_;
};

namespace queue {

template <class Codec>
std::optional<Delivery<Codec>> pop(Client& client, const KeySpec& spec, QueueKeys keys,
                                   std::chrono::milliseconds timeout) {
  std::optional<std::string> element = pop_raw(client, spec, keys, timeout);
  if (!element) return std::nullopt;
  return Delivery<Codec>(client, spec, std::move(keys), std::move(*element));
}

}  // namespace queue
}  // namespace keyspace
