// profile.legacy is deprecated in the schema: using it warns with the reason (an error under -Werror).
// expect: deprecated.*replaced by profile\.by_id
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.profile.legacy.get(42);
}
