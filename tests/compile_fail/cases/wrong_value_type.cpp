// A value of the wrong type: profile.by_id holds a Profile, not a string.
// expect: no matching (member )?function|cannot convert|could not convert|no viable conversion
#include <string>

#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  keys.profile.by_id.set(42, std::string("ada"));
}
