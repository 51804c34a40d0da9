// Service reader only reads namespace profile: a write names the key and its writer.
// view: reader
// expect: profile\.by_id is read-only for service reader; its writer is service writer
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  keys.profile.by_id.set(42, conventions::Profile{"ada", 36});
}
