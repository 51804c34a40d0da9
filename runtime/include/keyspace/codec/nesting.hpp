#pragma once
// For code that stores values of its own types through keyspace/codec/json_codec.hpp.
// How deep a stored value nests, measured without recursion before a recursive decoder (nlohmann's
// MessagePack and JSON parsers and conversions) sees it. Any writer of the same Redis can store a
// value nested 200,000 levels deep; refusing it here keeps the reader's stack safe.

#include <string_view>

#include "keyspace/key_spec.hpp"

namespace keyspace {

// Throw DecodeError naming `spec`'s template when arrays and maps (objects) nest deeper than
// codec::kMaxDepth. Malformed input is left to the decoder, which reports it.
void check_msgpack_nesting(std::string_view bytes, const KeySpec& spec);
void check_json_nesting(std::string_view text, const KeySpec& spec);

}  // namespace keyspace
