// An enum parameter takes only its enum, not the integer behind a value.
// expect: no known conversion (for argument 1 )?from [^ ]*int[^ ]* to [^ ]*conventions::Role
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.by_role.get(0, 42);
}
