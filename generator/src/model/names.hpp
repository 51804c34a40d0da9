#pragma once
// Which names are valid in the schema language. How they are spelled in generated C++ is the C++
// backend's decision (emit/cpp/names.hpp).

#include <string>

namespace keyspace::gen {

bool is_lower_snake(const std::string& name);   // user_id, cache, v2_items
bool is_upper_camel(const std::string& name);   // UserProfile, Role

}  // namespace keyspace::gen
