#include <fmt/format.h>

#include "keyspace/codec/limits.hpp"

namespace keyspace::codec {

void throw_read_error(std::string_view problem, std::size_t offset, bool at_end, const char* field) {
  std::string message = at_end ? fmt::format("{} at the end of the value", problem)
                               : fmt::format("{} at byte {}", problem, offset);
  if (field != nullptr) message += fmt::format(" (field '{}')", field);
  throw ReadError(message, offset);
}

}  // namespace keyspace::codec
