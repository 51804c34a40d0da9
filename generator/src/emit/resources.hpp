#pragma once
// Files compiled into the generator (templates/, schemas/), by path relative to the repository.

#include <map>
#include <string_view>

namespace keyspace::gen {

const std::map<std::string_view, std::string_view>& resources();

}  // namespace keyspace::gen
