#pragma once
// Text from a schema, which may be hostile, made safe to print: control bytes other than tab are
// written \xNN, so that a key template holding ESC or CR cannot drive a terminal or rewrite a
// diagnostic line, nor end a comment line of generated code (a carriage return ends a C++ line).

#include <string>
#include <string_view>

namespace keyspace::gen {

std::string printable(std::string_view text);

}  // namespace keyspace::gen
