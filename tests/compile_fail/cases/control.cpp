// The control program: every call here follows the conventions, so it must compile cleanly
// (with -Wall -Wextra -Wpedantic -Werror) wherever the failing cases beside it do not.
// expect: compiles
#include <chrono>
#include <cstdint>
#include <string>

#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  const std::int32_t small_id = 7;
  const std::string name = "ada";
  keys.profile.by_id.set(42, conventions::Profile{"ada", 36});
  keys.profile.by_id.set(small_id, conventions::Profile{"ada", 36});
  (void)keys.profile.by_name.get(name);
  (void)keys.profile.by_name.get("ada");
  (void)keys.profile.by_role.get(conventions::Role::admin, 42);
  (void)keys.profile.visits.incr(42);
  (void)keys.billing.invoice.get(1);
  (void)keys.profile.invalidate_user(42);
  keys.profile.by_id.set(42, conventions::Profile{"ada", 36}, keyspace::ttl<6, std::chrono::hours>{});
  keys.profile.by_id.set(42, conventions::Profile{"ada", 36}, std::chrono::minutes(5));
}
