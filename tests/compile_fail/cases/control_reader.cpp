// The control program of service reader's view: reads of the namespace it may read compile.
// view: reader
// expect: compiles
#include <optional>

#include "conventions/keyspace.hpp"

void use(keyspace::Client& client) {
  conventions::Keyspace keys{client};
  const std::optional<conventions::Profile> profile = keys.profile.by_id.get(42);
  (void)profile;
  (void)keys.profile.by_name.exists("ada");
  (void)keys.profile.visits.get(42);
}
