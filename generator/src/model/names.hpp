#pragma once
// The one place that decides how schema names are spelled: which names are valid in the
// schema language, and how they become C++ identifiers (case conversion, keyword escaping).

#include <string>

namespace keyspace::gen {

bool is_lower_snake(const std::string& name);   // user_id, cache, v2_items
bool is_upper_camel(const std::string& name);   // UserProfile, Role

// user_profile -> UserProfile
std::string upper_camel(const std::string& lower_snake);
// A valid C++ identifier for `name`: C++ keywords and reserved words get a trailing '_'.
std::string cpp_identifier(const std::string& name);
// "shop::redis" is a valid C++ namespace path of lower_snake/identifier parts.
bool is_cpp_namespace(const std::string& path);

}  // namespace keyspace::gen
