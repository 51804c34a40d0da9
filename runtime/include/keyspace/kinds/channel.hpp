#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// The operations of kind channel: Redis pub/sub, delivered at most once.
//
// publish() is one PUBLISH on a pooled connection. subscribe() starts a Subscription: its own
// hiredis connection (opened with the Client's options, never taken from the pool) and its own
// thread, which SUBSCRIBEs and calls the handler for every message. When the connection is lost
// the thread reconnects with bounded backoff and subscribes again; messages published meanwhile
// are lost, as Redis pub/sub keeps nothing for absent subscribers. Channels hold no data, so
// they have no TTL.

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace {

namespace detail {
class Subscriber;
}

// A live subscription to one channel. Destroying it (or stop()) unsubscribes: it closes the
// connection and joins the thread, within about 100 ms (the thread polls for the stop request),
// or up to the connect timeout while a reconnect is under way.
class [[nodiscard]] Subscription {
 public:
  // Called on the subscription's thread with the payload of each message.
  using MessageHandler = std::function<void(std::string_view payload)>;
  // Called on the subscription's thread with what went wrong: a DecodeError (the message is
  // skipped), whatever the message handler threw (ditto), a ConnectionError or CommandError
  // (the subscription reconnects). Exceptions it throws are ignored.
  using ErrorHandler = std::function<void(const std::exception& error)>;

  Subscription() noexcept;  // subscribed to nothing
  Subscription(Client& client, const KeySpec& spec, std::string channel, MessageHandler on_message,
               ErrorHandler on_error = {});
  ~Subscription();
  Subscription(Subscription&&) noexcept;
  Subscription& operator=(Subscription&&) noexcept;

  // True while the server has confirmed the subscription and the connection is up.
  bool subscribed() const noexcept;
  // Waits until subscribed() (true) or until `timeout` passed or the subscription stopped (false).
  // Messages published before the subscription is confirmed are not received.
  bool wait_until_subscribed(std::chrono::milliseconds timeout) const;
  // Unsubscribes and joins the thread; no handler runs after it returns. Called from a handler,
  // it only asks the thread to end: no further handler runs, the connection closes once the
  // handler returns. A handler may also destroy its own Subscription.
  void stop() noexcept;
  // The channel as sent to Redis (environment prefix included); empty for an empty Subscription.
  const std::string& channel() const noexcept;

 private:
  std::unique_ptr<detail::Subscriber> subscriber_;
};

namespace channel {

// PUBLISH; returns the number of subscribers that received the message.
std::int64_t publish(Client& client, const KeySpec& spec, const std::string& channel, std::string_view payload);

template <class Codec>
Subscription subscribe(Client& client, const KeySpec& spec, std::string channel,
                       std::function<void(typename Codec::value_type)> on_message,
                       Subscription::ErrorHandler on_error = {}) {
  // The spec is copied: the handler outlives the call (a generated spec is static anyway).
  Subscription::MessageHandler decoded = [spec_copy = spec, on_message = std::move(on_message)](std::string_view payload) {
    on_message(Codec::decode(payload, spec_copy));
  };
  return Subscription(client, spec, std::move(channel), std::move(decoded), std::move(on_error));
}

}  // namespace channel
}  // namespace keyspace
