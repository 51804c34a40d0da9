// delete_all writes: a reader's view has a stub naming the writer.
// view: reader
// expect: profile\.by_id is read-only for service reader; its writer is service writer
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  keys.profile.by_id.delete_all();
}
