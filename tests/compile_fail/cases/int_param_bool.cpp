// An int64 parameter does not take bool.
// expect: this key parameter is an integer
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.by_id.get(true);
}
