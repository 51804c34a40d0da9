#pragma once
// The thread and connection behind a keyspace::Subscription (internal to the runtime). The
// thread owns a dedicated hiredis connection in subscribed mode; it shares its state with the
// Subscriber through a shared_ptr, so that a stop requested from a handler (on the thread
// itself) can let the thread finish on its own.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "keyspace/key_spec.hpp"
#include "keyspace/kinds/channel.hpp"
#include "keyspace/options.hpp"

namespace keyspace::detail {

struct SubscriberState;

class Subscriber {
 public:
  Subscriber(Options options, const KeySpec& spec, std::string channel, Subscription::MessageHandler on_message,
             Subscription::ErrorHandler on_error);
  ~Subscriber();
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  bool subscribed() const noexcept;
  bool wait_until_subscribed(std::chrono::milliseconds timeout) const;
  void stop() noexcept;
  const std::string& channel() const noexcept;

 private:
  void request_stop() noexcept;

  std::shared_ptr<SubscriberState> state_;
  std::mutex join_mutex_;  // stop() may be called from several threads
  std::thread thread_;
  std::thread::id thread_id_;  // kept apart from thread_, which join() changes
};

}  // namespace keyspace::detail
