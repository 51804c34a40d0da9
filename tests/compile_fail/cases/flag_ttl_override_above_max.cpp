// A flag's TTL override is checked like a value's: namespace profile caps TTLs at 6h.
// expect: TTL override above the maximum 6h of profile\.banned
#include <chrono>

#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  keys.profile.banned.set(42, keyspace::ttl<7, std::chrono::hours>{});
}
