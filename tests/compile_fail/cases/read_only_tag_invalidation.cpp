// Service reader only reads the tagged cache profile.card: invalidating its tag deletes entries
// of a key the reader may not write, so the namespace function is a stub naming the writer.
// view: reader
// expect: invalidate_user deletes entries of profile\.card, which is read-only for service reader; its writer is service writer
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  keys.profile.invalidate_user(42);
}
