// profile:by-role:* also matches the keys of profile:by-role:{role}:{user_id}: no delete_all.
// expect: no delete_all for profile\.role_count: its SCAN pattern profile:by-role:\* also matches keys of other templates
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  keys.profile.role_count.delete_all();
}
