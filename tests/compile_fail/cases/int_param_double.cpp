// An int64 parameter does not take a floating-point number (no silent truncation of 42.7).
// expect: this key parameter is an integer
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.by_id.get(42.7);
}
