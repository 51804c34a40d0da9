#pragma once
// How schema value types are spelled in generated C++, and how they are stored (codecs).

#include <string>
#include <vector>

#include "model.hpp"

namespace keyspace::gen {

// The fully qualified C++ type, e.g. "std::vector<::shop::redis::Role>".
std::string cpp_type(const TypeRef& type, const Schema& schema);
// The runtime codec storing a value of `type`, e.g. "::keyspace::JsonCodec<::shop::redis::User>".
std::string cpp_codec(const TypeRef& type, Encoding encoding, const Schema& schema);
// Structs ordered so that each comes after the types it holds by value (declaration order
// otherwise); lists may refer to structs declared later.
std::vector<const TypeDef*> structs_in_dependency_order(const Schema& schema);

}  // namespace keyspace::gen
