// The channel kind against a real Redis: typed messages between two clients, receiver counts,
// a Subscription that unsubscribes and frees its connection when destroyed, reconnects after
// its connection is killed, keeps going after bad messages and handler exceptions, and channels
// of different parameters kept apart.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "channel_kinds/keyspace.hpp"
#include "keyspace_test/shared_redis.hpp"

namespace {

namespace ch = tests::channel_kinds;
using keyspace::test::redis_cli;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr milliseconds kWait{3000};  // upper bound of every wait; passing runs take far less

// Messages a handler received, on the subscription's thread; read from the test's thread.
template <class T>
class Inbox {
 public:
  void add(T value) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      items_.push_back(std::move(value));
    }
    changed_.notify_all();
  }
  std::function<void(T)> handler() {
    return [this](T value) { add(std::move(value)); };
  }
  // Waits until `done(items)` holds or kWait passed; returns a copy of the items.
  std::vector<T> wait_until(const std::function<bool(const std::vector<T>&)>& done) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, kWait, [&] { return done(items_); });
    return items_;
  }
  std::vector<T> wait_for_count(std::size_t n) {
    return wait_until([n](const std::vector<T>& items) { return items.size() >= n; });
  }
  std::vector<T> items() {
    std::lock_guard<std::mutex> lock(mutex_);
    return items_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<T> items_;
};

// Polls `condition` every 20 ms for at most kWait.
bool eventually(const std::function<bool()>& condition) {
  const auto deadline = Clock::now() + kWait;
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return condition();
}

class ChannelKind : public keyspace::test::RedisTest {
 protected:
  static keyspace::Options test_options() {
    keyspace::Options o = options();
    o.environment = "test";
    return o;
  }
  static std::string pubsub_clients() { return redis_cli({"CLIENT", "LIST", "TYPE", "pubsub"}); }

  keyspace::Client subscriber_client{test_options()};
  keyspace::Client publisher_client{test_options()};
  ch::Keyspace sub_keys{subscriber_client};
  ch::Keyspace pub_keys{publisher_client};
};

ch::OrderEvent event(std::int64_t order, std::string status) { return ch::OrderEvent{order, std::move(status)}; }

TEST_F(ChannelKind, SubscriberReceivesTypedMessagesPublishedByAnotherClient) {
  Inbox<ch::OrderEvent> inbox;
  keyspace::Subscription sub = sub_keys.events.orders.subscribe(42, inbox.handler());
  ASSERT_TRUE(sub.wait_until_subscribed(kWait));
  EXPECT_EQ(sub.channel(), "test:events:order:42");
  EXPECT_EQ(redis_cli({"PUBSUB", "CHANNELS"}), "test:events:order:42");

  const std::vector<ch::OrderEvent> sent{event(42, "paid"), event(42, "packed"), event(42, "shipped")};
  for (const ch::OrderEvent& e : sent) EXPECT_EQ(pub_keys.events.orders.publish(42, e), 1);
  EXPECT_EQ(inbox.wait_for_count(sent.size()), sent);  // in publishing order
}

TEST_F(ChannelKind, PublishReturnsTheNumberOfReceivers) {
  EXPECT_EQ(pub_keys.events.broadcast.publish("nobody listens"), 0);
  Inbox<std::string> first, second;
  keyspace::Subscription a = sub_keys.events.broadcast.subscribe(first.handler());
  keyspace::Subscription b = sub_keys.events.broadcast.subscribe(second.handler());
  ASSERT_TRUE(a.wait_until_subscribed(kWait));
  ASSERT_TRUE(b.wait_until_subscribed(kWait));
  EXPECT_EQ(pub_keys.events.broadcast.publish("hello"), 2);
  EXPECT_EQ(first.wait_for_count(1), std::vector<std::string>{"hello"});
  EXPECT_EQ(second.wait_for_count(1), std::vector<std::string>{"hello"});
}

TEST_F(ChannelKind, DestroyingTheSubscriptionStopsDeliveryAndClosesItsConnection) {
  Inbox<ch::OrderEvent> inbox;
  {
    keyspace::Subscription sub = sub_keys.events.orders.subscribe(1, inbox.handler());
    ASSERT_TRUE(sub.wait_until_subscribed(kWait));
    EXPECT_NE(pubsub_clients(), "");
    EXPECT_EQ(pub_keys.events.orders.publish(1, event(1, "before")), 1);
    inbox.wait_for_count(1);
    const auto start = Clock::now();
    sub.stop();
    EXPECT_LT(Clock::now() - start, milliseconds(1000));  // the thread notices within ~100 ms
    EXPECT_FALSE(sub.subscribed());
  }
  EXPECT_TRUE(eventually([] { return pubsub_clients().empty(); })) << pubsub_clients();
  EXPECT_EQ(pub_keys.events.orders.publish(1, event(1, "after")), 0);
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(inbox.items(), std::vector<ch::OrderEvent>{event(1, "before")});
}

TEST_F(ChannelKind, SubscriptionReconnectsAfterItsConnectionIsKilled) {
  Inbox<std::string> inbox;
  std::atomic<int> errors{0};
  keyspace::Subscription sub = sub_keys.events.broadcast.subscribe(
      inbox.handler(), [&](const std::exception&) { ++errors; });
  ASSERT_TRUE(sub.wait_until_subscribed(kWait));
  redis_cli({"CLIENT", "KILL", "TYPE", "pubsub"});

  // Messages published while it reconnects are lost (at most once); it is back once a publish
  // reaches a receiver again.
  EXPECT_TRUE(eventually([&] { return pub_keys.events.broadcast.publish("probe") == 1; }));
  pub_keys.events.broadcast.publish("after the reconnect");
  const auto got = inbox.wait_until([](const std::vector<std::string>& items) {
    return !items.empty() && items.back() == "after the reconnect";
  });
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back(), "after the reconnect");
  EXPECT_GE(errors.load(), 1);  // the lost connection was reported
  EXPECT_TRUE(sub.subscribed());
}

TEST_F(ChannelKind, SubscriptionsOnDifferentParametersDoNotSeeEachOthersMessages) {
  Inbox<ch::OrderEvent> first, second;
  keyspace::Subscription a = sub_keys.events.orders.subscribe(1, first.handler());
  keyspace::Subscription b = sub_keys.events.orders.subscribe(2, second.handler());
  ASSERT_TRUE(a.wait_until_subscribed(kWait));
  ASSERT_TRUE(b.wait_until_subscribed(kWait));
  EXPECT_EQ(pub_keys.events.orders.publish(1, event(1, "one")), 1);
  EXPECT_EQ(pub_keys.events.orders.publish(2, event(2, "two")), 1);
  EXPECT_EQ(pub_keys.events.orders.publish(3, event(3, "three")), 0);
  EXPECT_EQ(first.wait_for_count(1), std::vector<ch::OrderEvent>{event(1, "one")});
  EXPECT_EQ(second.wait_for_count(1), std::vector<ch::OrderEvent>{event(2, "two")});
  std::this_thread::sleep_for(milliseconds(50));  // nothing else arrives late
  EXPECT_EQ(first.items().size(), 1u);
  EXPECT_EQ(second.items().size(), 1u);
}

TEST_F(ChannelKind, UndecodableMessageIsReportedAndSkipped) {
  Inbox<ch::OrderEvent> inbox;
  Inbox<std::string> errors;
  keyspace::Subscription sub = sub_keys.events.orders.subscribe(
      5, inbox.handler(), [&](const std::exception& e) {
        errors.add(dynamic_cast<const keyspace::DecodeError*>(&e) ? "decode" : e.what());
      });
  ASSERT_TRUE(sub.wait_until_subscribed(kWait));
  EXPECT_EQ(redis_cli({"PUBLISH", sub.channel(), "{not json"}), "1");
  pub_keys.events.orders.publish(5, event(5, "fine"));
  EXPECT_EQ(inbox.wait_for_count(1), std::vector<ch::OrderEvent>{event(5, "fine")});
  EXPECT_EQ(errors.wait_for_count(1), std::vector<std::string>{"decode"});
}

TEST_F(ChannelKind, HandlerExceptionIsReportedAndDeliveryContinues) {
  Inbox<std::string> inbox;
  Inbox<std::string> errors;
  keyspace::Subscription sub = sub_keys.events.broadcast.subscribe(
      [&](std::string message) {
        if (message == "bad") throw std::runtime_error("handler failed");
        inbox.add(std::move(message));
      },
      [&](const std::exception& e) { errors.add(e.what()); });
  ASSERT_TRUE(sub.wait_until_subscribed(kWait));
  pub_keys.events.broadcast.publish("bad");
  pub_keys.events.broadcast.publish("good");
  EXPECT_EQ(inbox.wait_for_count(1), std::vector<std::string>{"good"});
  EXPECT_EQ(errors.wait_for_count(1), std::vector<std::string>{"handler failed"});
  EXPECT_TRUE(sub.subscribed());
}

TEST_F(ChannelKind, HandlerMayStopItsOwnSubscription) {
  keyspace::Subscription sub;
  std::atomic<bool> stopped{false};
  std::atomic<int> calls{0};
  sub = sub_keys.events.broadcast.subscribe([&](std::string) {
    ++calls;
    sub.stop();  // must not deadlock by joining its own thread
    stopped = true;
  });
  ASSERT_TRUE(sub.wait_until_subscribed(kWait));
  pub_keys.events.broadcast.publish("stop");
  ASSERT_TRUE(eventually([&] { return stopped.load(); }));
  EXPECT_TRUE(eventually([] { return pubsub_clients().empty(); }));
  EXPECT_EQ(pub_keys.events.broadcast.publish("ignored"), 0);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(ChannelKind, HandlerMayDestroyItsOwnSubscription) {
  std::optional<keyspace::Subscription> sub;
  std::atomic<bool> destroyed{false};
  sub.emplace(sub_keys.events.broadcast.subscribe([&](std::string) {
    sub.reset();  // the thread is detached and ends after this handler
    destroyed = true;
  }));
  ASSERT_TRUE(sub->wait_until_subscribed(kWait));
  pub_keys.events.broadcast.publish("go away");
  ASSERT_TRUE(eventually([&] { return destroyed.load(); }));
  EXPECT_TRUE(eventually([] { return pubsub_clients().empty(); }));
}

TEST_F(ChannelKind, UnreachableServerIsReportedAndRetriedUntilStopped) {
  keyspace::Options o = test_options();
  o.port = keyspace::test::find_free_port();  // nobody listens there
  o.seeds.clear();                            // (a cluster client: no other node either)
  o.connect_timeout = milliseconds(200);
  keyspace::Client nowhere{o};
  ch::Keyspace k{nowhere};
  std::atomic<int> errors{0};
  keyspace::Subscription sub = k.events.broadcast.subscribe([](std::string) {}, [&](const std::exception& e) {
    if (dynamic_cast<const keyspace::ConnectionError*>(&e)) ++errors;
  });
  EXPECT_FALSE(sub.wait_until_subscribed(milliseconds(300)));
  EXPECT_TRUE(eventually([&] { return errors.load() >= 2; }));  // it keeps trying, with backoff
  const auto start = Clock::now();
  sub.stop();
  EXPECT_LT(Clock::now() - start, milliseconds(1000));
}

}  // namespace
