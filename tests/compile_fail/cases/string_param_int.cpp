// A string parameter does not take a number.
// expect: this key parameter is a string
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.by_name.get(42);
}
