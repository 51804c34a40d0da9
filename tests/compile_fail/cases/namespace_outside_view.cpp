// The view of service `reader` has no namespace billing: reader may not touch it at all.
// view: reader
// expect: no member named [^ ]*billing
#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  (void)keys.billing.invoice.get(1);
}
