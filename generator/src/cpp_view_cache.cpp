#include "cpp_kind_views.hpp"

namespace keyspace::gen {

void add_cache_view(const Key&, const Schema&, mstch::data&) {}
void add_cache_namespace_view(const Namespace&, const std::vector<const Key*>&, const Schema&, mstch::data&) {}
}  // namespace keyspace::gen
