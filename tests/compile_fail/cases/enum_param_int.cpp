// An enum parameter takes only its enum, not the integer behind a value.
// expect: cannot convert [^ ]*int[^ ]* to [^ ]*conventions::Role
// expect: cannot initialize a parameter of type .::conventions::Role. with an rvalue of type .int.
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.by_role.get(0, 42);
}
