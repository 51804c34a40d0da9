#include "emit/cpp/kind_views.hpp"

namespace keyspace::gen {

void add_kind_view(const Key& key, const Schema& schema, mstch::data& view) {
  add_tags_view(key, schema, view);
  switch (key.kind) {
    case Kind::value:
    case Kind::counter:
    case Kind::flag:
    case Kind::presence:
    case Kind::geo: return;  // the shared view is all they need
    case Kind::cache: return add_cache_view(key, schema, view);
    case Kind::hash:
    case Kind::set:
    case Kind::sorted_set:
    case Kind::list:
    case Kind::stream:
    case Kind::hyperloglog: return add_collection_view(key, schema, view);
    case Kind::lock: return add_lock_view(key, schema, view);
    case Kind::session: return add_session_view(key, schema, view);
    case Kind::rate_limit: return add_rate_limit_view(key, schema, view);
    case Kind::queue:
    case Kind::channel: return add_messaging_view(key, schema, view);
  }
}

void add_namespace_view(const Namespace& ns, const std::vector<const Key*>& keys, const Schema& schema,
                        const std::optional<std::string>& service, mstch::data& view) {
  add_tag_functions_view(ns, keys, schema, service, view);
}

}  // namespace keyspace::gen
