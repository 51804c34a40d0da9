#include "emit/cpp/operations.hpp"

#include <algorithm>
#include <map>

namespace keyspace::gen {
namespace {

constexpr OperationAccess R = OperationAccess::read;
constexpr OperationAccess W = OperationAccess::write;

bool with_params(const Key& key) { return !key.params.empty(); }
bool with_fields(const Key& key) { return !key.fields.empty(); }
bool with_map(const Key& key) { return key.fields.empty(); }
bool with_tags(const Key& key) { return !key.tags.empty(); }
bool with_limit(const Key& key) { return key.limit.has_value(); }
bool with_index(const Key& key) { return key.index.has_value(); }

// del / exists / ttl, which the collections and values end with (templates/cpp/key_lifetime.*).
std::vector<Operation> with_lifetime(std::vector<Operation> operations) {
  operations.push_back({"del", W, {}});
  operations.push_back({"exists", R, {}});
  operations.push_back({"ttl", R, {}});
  return operations;
}

std::map<Kind, KindOperations> catalog() {
  std::map<Kind, KindOperations> c;
  c[Kind::value] = {with_lifetime({{"get", R, {}},
                                   {"set", W, {"value", "ttl_override"}},
                                   {"set_if_absent", W, {"value"}},
                                   {"get_many", R, {"ids"}, with_params}}),
                    {}};
  c[Kind::counter] = {{{"incr", W, {"by"}}, {"decr", W, {"by"}}, {"get", R, {}}, {"reset", W, {}}}, {}};
  c[Kind::flag] = {{{"set", W, {"ttl_override"}}, {"exists", R, {}}, {"clear", W, {}}}, {}};
  c[Kind::cache] = {{{"get", R, {}},
                     {"set", W, {"value"}},
                     {"invalidate", W, {}},
                     {"get_or_load", W, {"loader"}},
                     {"tag_keys", R, {}, with_tags},
                     {"get_many", R, {"ids"}, with_params}},
                    {"policy", "tag_keys"}};
  c[Kind::channel] = {{{"publish", W, {"value"}}, {"subscribe", R, {"on_message", "on_error"}}}, {}};
  c[Kind::hash] = {with_lifetime({{"get_", R, {}, with_fields, PerField::each_field},
                                  {"set_", W, {"value"}, with_fields, PerField::each_field},
                                  {"incr_", W, {"by"}, with_fields, PerField::each_int64_field},
                                  {"get_all", R, {}},
                                  {"set_all", W, {"fields"}, with_fields},
                                  {"get", R, {"field"}, with_map},
                                  {"set", W, {"field", "value"}, with_map},
                                  {"erase", W, {"field"}, with_map},
                                  {"size", R, {}, with_map}}),
                   {"stored", "read", "write"}};
  c[Kind::list] = {with_lifetime({{"push_back", W, {"value"}},
                                  {"push_front", W, {"value"}},
                                  {"pop_front", W, {}},
                                  {"pop_back", W, {}},
                                  {"range", R, {"start", "stop"}},
                                  {"size", R, {}}}),
                   {}};
  c[Kind::lock] = {{{"try_acquire", W, {}}, {"acquire", W, {"wait"}}}, {}};
  c[Kind::queue] = {{{"push", W, {"value"}},
                     {"pop", W, {"timeout"}},
                     {"requeue_stale", W, {"older_than"}},
                     {"size", R, {}},
                     {"processing", R, {}},
                     {"clear", W, {}},
                     {"queue_keys", R, {}}},
                    {"queue_keys"}};
  c[Kind::rate_limit] = {{{"hit", W, {"cost"}, with_limit}, {"peek", R, {}, with_limit}, {"reset", W, {}, with_limit}}, {}};
  c[Kind::session] = {{{"create", W, {"value"}},
                       {"get", R, {}},
                       {"update", W, {"value", "fn"}},
                       {"touch", W, {}},
                       {"destroy", W, {}},
                       {"list", R, {}, with_index},
                       {"destroy_all", W, {}, with_index},
                       {"index_key", R, {}, with_index},
                       {"session_ref", R, {}}},
                      {"session_ref", "index_key"}};
  c[Kind::set] = {with_lifetime({{"add", W, {"member"}},
                                 {"add_many", W, {"members"}},
                                 {"remove", W, {"member"}},
                                 {"contains", R, {"member"}},
                                 {"members", R, {}},
                                 {"size", R, {}}}),
                  {}};
  c[Kind::hyperloglog] = {with_lifetime({{"add", W, {"member"}},
                                         {"add_many", W, {"members"}},
                                         {"merge", W, {"sources"}, with_params},
                                         {"count", R, {}},
                                         {"count_union", R, {"ids"}, with_params}}),
                          {}};
  c[Kind::presence] = {with_lifetime({{"mark", W, {"member"}},
                                      {"leave", W, {"member"}},
                                      {"is_present", R, {"member"}},
                                      {"present", R, {}},
                                      {"count", R, {}}}),
                       {}};
  c[Kind::geo] = {with_lifetime({{"add", W, {"member", "position"}},
                                 {"remove", W, {"member"}},
                                 {"position", R, {"member"}},
                                 {"distance", R, {"a", "b", "unit"}},
                                 {"search", R, {"query"}},
                                 {"size", R, {}}}),
                  {"query", "match"}};
  c[Kind::sorted_set] = {with_lifetime({{"add", W, {"member", "score"}},
                                        {"incr", W, {"member", "by"}},
                                        {"score", R, {"member"}},
                                        {"rank", R, {"member"}},
                                        {"range", R, {"start", "stop"}},
                                        {"range_by_score", R, {"min", "max", "limit"}},
                                        {"remove", W, {"member"}},
                                        {"size", R, {}}}),
                         {}};
  c[Kind::stream] = {with_lifetime({{"add", W, {"value"}},
                                    {"read", R, {"after_id", "count"}},
                                    {"create_group", W, {"group", "start_id"}},
                                    {"read_group", W, {"group", "consumer", "count", "block"}},
                                    {"ack", W, {"group", "id", "ids"}},
                                    {"size", R, {}}}),
                     {}};
  // Every kind that stores keys can delete all keys of a template with parameters (a stub that
  // does not compile where its SCAN pattern is not exact: templates/cpp/delete_all.hpp.mustache).
  for (auto& [kind, ops] : c) {
    if (kind != Kind::channel) ops.operations.push_back({"delete_all", W, {"progress"}, with_params});
  }
  // Tagged keys of every kind name their tag sets (docs/tags.md); the cache lists it above.
  for (Kind kind : {Kind::value, Kind::hash, Kind::set, Kind::sorted_set, Kind::list, Kind::stream, Kind::session,
                    Kind::hyperloglog, Kind::presence, Kind::geo}) {
    c[kind].operations.push_back({"tag_keys", R, {}, with_tags});
  }
  return c;
}

}  // namespace

const KindOperations& operations_of(Kind kind) {
  static const std::map<Kind, KindOperations> kinds = catalog();
  return kinds.at(kind);
}

std::vector<std::string> operation_names(const Key& key, OperationAccess access) {
  std::vector<std::string> names;
  for (const Operation& op : operations_of(key.kind).operations) {
    if (op.access != access || (op.declared_when && !op.declared_when(key))) continue;
    if (op.per_field == PerField::no) {
      names.emplace_back(op.name);
      continue;
    }
    for (const Field& f : key.fields) {
      if (op.per_field == PerField::each_field || f.type.tag == TypeRef::Tag::int64) {
        names.push_back(std::string(op.name) + f.name);
      }
    }
  }
  return names;
}

std::vector<std::string_view> reserved_parameter_names(Kind kind) {
  const KindOperations& ops = operations_of(kind);
  std::vector<std::string_view> names = ops.body_names;
  for (const Operation& op : ops.operations) names.insert(names.end(), op.arguments.begin(), op.arguments.end());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace keyspace::gen
