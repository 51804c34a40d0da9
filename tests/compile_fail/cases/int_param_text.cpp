// An int64 parameter does not take text, not even text that spells a number.
// expect: this key parameter is an integer
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.by_id.get("42");
}
