// An enum parameter takes only its enum, not the text of a value.
// expect: cannot convert .+const char ?\[6\].+ to .+conventions::Role
// expect: cannot initialize a parameter of type .::conventions::Role. with an lvalue of type .const char ?\[6\].
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.by_role.get("admin", 42);
}
