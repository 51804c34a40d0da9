#include "cpp_kind_views.hpp"

namespace keyspace::gen {

void add_messaging_view(const Key&, const Schema&, mstch::data&) {}

}  // namespace keyspace::gen
