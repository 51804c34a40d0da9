#pragma once
// How schema names are spelled in generated C++: case conversion, keyword escaping, the names of
// accessor classes and of the namespace's tag functions. The C++ checks (emit/cpp/validate.hpp)
// decide with the same functions what a schema may not name.

#include <string>

#include "model/model.hpp"

namespace keyspace::gen {

// user_profile -> UserProfile
std::string upper_camel(const std::string& lower_snake);
// A valid C++ identifier for `name`: C++ keywords and reserved words get a trailing '_'.
std::string cpp_identifier(const std::string& name);
// "shop::redis" is a valid C++ namespace path of lower_snake/identifier parts.
bool is_cpp_namespace(const std::string& path);
// The accessor class of a key: its name in UpperCamelCase, `Keys_` for a key named `keys` (the
// namespace's own class is `Keys`).
std::string accessor_class_name(const Key& key);
// The namespace function that invalidates a cache tag: `invalidate_` + the tag's literal segments
// joined by `_` (its parameters when it has none), `-` as `_`: "user:{id}" -> invalidate_user.
std::string tag_function_name(const KeyTemplate& tag);

}  // namespace keyspace::gen
