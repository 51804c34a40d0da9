#include "keyspace/codec/json_values.hpp"

#include <fmt/format.h>

namespace keyspace::json {

void write_value(Writer& out, const Bytes& value) { out.string(base64_encode(value.data)); }

void read_value(Reader& in, Bytes& value) {
  if (!base64_decode(in.string(), value.data)) in.fail("bytes that are not base64");
}

void require_field(Reader& in, const char* name, bool seen) {
  if (seen) return;
  in.at_field(nullptr);
  in.fail(fmt::format("a missing member '{}'", name));
}

}  // namespace keyspace::json
