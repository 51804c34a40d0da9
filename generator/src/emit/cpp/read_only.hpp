#pragma once
// Read-only accessors in a service view. A service that only reads a key (it is one of the key's
// `readers`) gets the key's read operations; each write operation is replaced by a stub whose
// static_assert names the key and its writer, so that a write does not compile and says why
// (instead of "no member named set").

#include <string>

#include "model/model.hpp"

namespace keyspace::gen {

// `operations`, the rendered declarations of `key`'s accessor, without its write operations and
// with one stub per removed operation name.
std::string read_only_operations(const std::string& operations, const Key& key, const std::string& service);
// `definitions`, the rendered definitions of `key`'s accessor (keyspace.cpp; one per paragraph),
// without those of its write operations.
std::string read_only_definitions(const std::string& definitions, const Key& key);

}  // namespace keyspace::gen
