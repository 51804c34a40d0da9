// An operation the kind does not have: a counter has incr/decr/get/reset, not set.
// expect: no member named [^ ]*set
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  keys.profile.visits.set(42, 5);
}
