// An enum parameter takes only its enum, not the text of a value.
// expect: no known conversion (for argument 1 )?from .+const char ?\[6\].+ to .+conventions::Role
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.by_role.get("admin", 42);
}
