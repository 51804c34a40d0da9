// A key parameter left out: profile.by_id needs user_id.
// expect: too few arguments|no matching (member )?function|requires (at least )?1 argument
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.by_id.get();
}
