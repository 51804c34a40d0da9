#include "emit/cpp/kind_views.hpp"

namespace keyspace::gen {

// A lock's operations need only the shared view: the key, its TTL (the lease) and the spec. The
// fencing counter `<key>:_fence` is built by the runtime from the rendered key.
void add_lock_view(const Key&, const Schema&, mstch::data&) {}

}  // namespace keyspace::gen
