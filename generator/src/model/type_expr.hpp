#pragma once
// Value type expressions: `string`, `bytes`, `int64`, `uint64`, `double`, `bool`, `timestamp`,
// a declared type name, `list<T>`, `map<string,T>`. Spaces are allowed around '<', ',' and '>'.

#include <optional>
#include <string>

#include "model/model.hpp"

namespace keyspace::gen {

// nullopt when `text` is not a well-formed expression. Named types are not resolved here.
std::optional<TypeRef> parse_type_expr(const std::string& text, const SourceLoc& loc);
// The canonical spelling, e.g. "map<string,list<Role>>".
std::string type_expr_text(const TypeRef& type);

}  // namespace keyspace::gen
