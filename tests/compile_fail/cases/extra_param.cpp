// One parameter too many: profile.by_id has only user_id.
// expect: too many arguments|no matching (member )?function|requires (a )?single argument
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.by_id.get(42, 43);
}
