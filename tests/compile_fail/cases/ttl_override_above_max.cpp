// Namespace profile caps TTLs at 6h: a compile-time override of 7h names the maximum.
// expect: TTL override above the maximum 6h of profile\.by_id
#include <chrono>

#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  keys.profile.by_id.set(42, conventions::Profile{"ada", 36}, keyspace::ttl<7, std::chrono::hours>{});
}
