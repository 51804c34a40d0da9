// A small service using the generated accessors of examples/shop/keyspace.yaml.
// Usage: shop_example [port] [host]   (a Redis server must be listening; keys use env "dev";
// REDIS_URL, REDIS_PASSWORD, REDIS_KEY_PREFIX and the like from the environment apply on top)
#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "shop/keyspace.hpp"

namespace redis = shop::redis;
using namespace std::chrono_literals;

namespace {

// One short line per kind of the shop's Redis patterns, on keys of user 42 and order 1001.
void tour_of_kinds(redis::Keyspace& keys) {
  // cache: read-through product rows; the loader runs on a miss only; tags drop entries in bulk.
  int loads = 0;
  const auto load_product = [&] { ++loads; return redis::Product{"tea-1", "Green tea", 450}; };
  keys.catalog.product.get_or_load("tea-1", load_product);
  const redis::Product tea = keys.catalog.product.get_or_load("tea-1", load_product);
  const auto cached = keys.catalog.product.get_many({"tea-1", "mug-3"});  // one MGET
  std::cout << "cache: " << tea.name << ", loaded " << loads << "x; cached of 2: "
            << (cached[0].has_value() + cached[1].has_value()) << "; invalidated "
            << keys.catalog.invalidate_product("tea-1") << '\n';

  // session: an unguessable id, listed in the user's index (at most 5 sessions).
  const std::string sid = keys.auth.session.create(42, redis::Login{"laptop", "203.0.113.7"});
  const std::optional<redis::Login> login = keys.auth.session.get(42, sid);
  std::cout << "session: " << (login ? login->device : "gone") << ", sessions of user 42: "
            << keys.auth.session.list(42).size() << '\n';

  // rate_limit: 5 failed logins per 5 minutes per address; 20-call bursts on the API.
  keyspace::RateLimitResult attempt{};
  for (int i = 0; i < 6; ++i) attempt = keys.auth.login_attempts.hit("203.0.113.7");
  std::cout << "rate limit: 6th login attempt allowed=" << std::boolalpha << attempt.allowed
            << ", api remaining " << keys.auth.api_calls.hit(7).remaining << '\n';

  // lock: one charge per order; a second holder is refused while the guard lives.
  if (auto guard = keys.checkout.order_lock.try_acquire(1001)) {
    const bool second = keys.checkout.order_lock.try_acquire(1001).has_value();
    std::cout << "lock: acquired, second try_acquire=" << second << '\n';
  }

  // queue: checkout pushes an e-mail job; the mailer pops it and acknowledges it when sent.
  keys.mail.order_emails.push(redis::OrderEmail{1001, "ada@example.com", "order-confirmation"});
  if (auto delivery = keys.mail.order_emails.pop(1s)) {
    std::cout << "queue: order " << delivery->value().order_id << " mail popped, ack="
              << delivery->ack() << '\n';
  }

  // channel: storefronts subscribe to price changes (at most once: only live subscribers get them).
  std::atomic<std::int64_t> seen_price{0};
  {
    keyspace::Subscription sub =
        keys.catalog.price_changes.subscribe([&](redis::PriceChange change) { seen_price = change.new_cents; });
    sub.wait_until_subscribed(2s);
    keys.catalog.price_changes.publish(redis::PriceChange{"tea-1", 450, 399});
    for (int i = 0; i < 200 && seen_price == 0; ++i) std::this_thread::sleep_for(10ms);
  }
  std::cout << "channel: new price " << seen_price << '\n';

  // hash: the cart by SKU (map form), preferences as named fields.
  keys.cart.items.set(42, "tea-1", 2);
  keys.cart.items.set(42, "mug-3", 1);
  keys.profile.preferences.set_all(42, {"en", "EUR", std::nullopt, 0});
  keys.profile.preferences.incr_visits(42);
  std::cout << "hash: cart lines " << keys.cart.items.size(42) << ", visits "
            << keys.profile.preferences.get_visits(42).value_or(0) << '\n';

  // set, sorted_set, list: wishlist, bestsellers of the day, recently viewed SKUs.
  keys.cart.wishlist.add(42, "mug-3");
  keys.catalog.bestsellers.incr("2026-11-22", "tea-1", 3);
  keys.catalog.bestsellers.incr("2026-11-22", "mug-3", 1);
  keys.profile.recently_viewed.push_front(42, "tea-1");
  keys.profile.recently_viewed.push_front(42, "mug-3");
  const auto top = keys.catalog.bestsellers.range("2026-11-22", -1, -1);
  std::cout << "set: wishlist has mug-3=" << keys.cart.wishlist.contains(42, "mug-3")
            << "; sorted_set: bestseller " << (top.empty() ? "none" : top[0].member)
            << "; list: last viewed " << keys.profile.recently_viewed.range(42, 0, 0).at(0) << '\n';

  // stream: the order's history, read back in order.
  const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  keys.checkout.order_events.add(1001, redis::OrderEvent{"placed", now});
  keys.checkout.order_events.add(1001, redis::OrderEvent{"paid", now});
  std::cout << "stream: order 1001 events";
  for (const auto& entry : keys.checkout.order_events.read(1001)) std::cout << ' ' << entry.value.status;
  std::cout << '\n';

  // hyperloglog: distinct visitors of a page per week; presence: who is online for the next 60 s.
  for (std::int64_t user : {42, 43, 42}) keys.stats.unique_visitors.add("home", "2026-w47", user);
  keys.auth.online.mark(42);
  std::cout << "hyperloglog: home had " << keys.stats.unique_visitors.count("home", "2026-w47")
            << " visitors; presence: user 42 online=" << keys.auth.online.is_present(42) << '\n';

  // geo: users who share their position in Berlin, nearest first, with their distance.
  using Nearby = redis::profile::Nearby;
  keys.profile.nearby.add("berlin", 42, {13.3777, 52.5163});
  keys.profile.nearby.add("berlin", 43, {13.4120, 52.5219});
  const auto near = keys.profile.nearby.search(
      "berlin", Nearby::query::around_member(42).within_radius(5, keyspace::geo::Unit::km).nearest(5).with_distance());
  std::cout << "geo: nearest to 42 after itself is " << near.at(1).member << " at "
            << static_cast<int>(*near.at(1).distance * 10) / 10.0 << " km\n";

  // tags: one call deletes what the namespace holds for a user, of every kind (hash, list, value).
  keys.profile.preferences.set_all(43, {"de", "EUR", std::nullopt, 0});
  keys.profile.recently_viewed.push_front(43, "mug-3");
  std::cout << "tags: user 43's keys deleted: " << keys.profile.invalidate_user(43) << '\n';

  // flag with its own TTL: a revoked token stays blacklisted for its remaining lifetime only.
  keys.auth.revoked_token.set("tok-0123456789abcdef", 20min);
  // delete_all: a whole template by SCAN + UNLINK, never KEYS.
  std::cout << "flag: token revoked=" << keys.auth.revoked_token.exists("tok-0123456789abcdef")
            << "; delete_all: recently viewed lists deleted " << keys.profile.recently_viewed.delete_all() << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  try {
    keyspace::Options base;
    base.environment = "dev";  // one of the schema's environments: keys start with "dev:"
    const std::string host = argc > 2 ? argv[2] : "127.0.0.1";
    const std::string port = argc > 1 ? argv[1] : "6379";
    keyspace::Options options = keyspace::Options::from_env(keyspace::Options::from_url("redis://" + host + ":" + port, base));
    // `shop_example PORT HOST cluster`: the same program against a Redis Cluster, host:port one
    // of its nodes (the rest is learned from it).
    if (argc > 3 && std::string(argv[3]) == "cluster") options.topology = keyspace::Topology::cluster;
    keyspace::Client client{options};
    redis::Keyspace keys{client};

    // A value key holding a struct, stored as JSON with the key's TTL (2h).
    redis::UserProfile profile;
    profile.id = 42;
    profile.name = "Ada";
    profile.roles = {redis::Role::admin};
    profile.updated_at = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    keys.profile.user.set(42, profile);
    if (std::optional<redis::UserProfile> loaded = keys.profile.user.get(42)) {
      std::cout << "profile " << keys.profile.user.key(42) << ": " << loaded->name << ", ttl "
                << keys.profile.user.ttl(42).value_or(std::chrono::milliseconds(0)).count() << " ms\n";
    }

    // Any string may be a parameter: it is escaped into one key segment.
    keys.profile.role_by_email.set("ada@example.com", redis::Role::admin);
    std::cout << "role key: " << keys.profile.role_by_email.key("ada@example.com") << '\n';

    // A MessagePack-encoded cart and a flag.
    redis::Cart cart;
    cart.lines.push_back({"sku-1", 2, 1999});
    keys.cart.open.set(42, cart);
    keys.cart.checkout_started.set(42);
    std::cout << "checkout started: " << std::boolalpha << keys.cart.checkout_started.exists(42) << '\n';
    keys.cart.checkout_started.clear(42);

    // Counters: the TTL is set atomically when a counter is created.
    keys.stats.page_views.incr("home", "2026-11-22");
    const std::int64_t views = keys.stats.page_views.incr("home", "2026-11-22", 4);
    keys.stats.views_by_role.incr(redis::Role::member);
    keys.stats.total_orders.incr();
    std::cout << "page views: " << views << '\n';

    // A parameter that breaks its pattern is rejected before any command is sent.
    try {
      keys.stats.page_views.incr("Home Page!", "2026-11-22");
    } catch (const keyspace::InvalidKey& e) {
      std::cout << "rejected: " << e.what() << '\n';
    }

    tour_of_kinds(keys);

    // What a /health endpoint returns: reachability, latency, INFO figures, pool, warnings.
    const keyspace::Health health = keys.health();
    std::cout << "health: reachable=" << health.reachable << ", warnings " << health.warnings.size() << '\n';
    return 0;
  } catch (const keyspace::Error& e) {
    std::cerr << "shop_example: " << e.what() << '\n';
    return 1;
  }
}
