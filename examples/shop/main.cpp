// A small service using the generated accessors of examples/shop/keyspace.yaml.
// Usage: shop_example [port] [host]   (a Redis server must be listening; keys use env "dev")
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "shop/keyspace.hpp"

namespace redis = shop::redis;

int main(int argc, char** argv) {
  keyspace::Options options;
  options.port = argc > 1 ? std::atoi(argv[1]) : 6379;
  options.host = argc > 2 ? argv[2] : "127.0.0.1";
  options.environment = "dev";  // one of the schema's environments: keys start with "dev:"

  try {
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
    return 0;
  } catch (const keyspace::Error& e) {
    std::cerr << "shop_example: " << e.what() << '\n';
    return 1;
  }
}
