#include "keyspace/errors.hpp"

#include <fmt/format.h>

namespace keyspace {

namespace {

// The template is appended to the message (not only kept as a field) because most callers log
// what() and nothing else; the template is what tells them which key family failed.
std::string with_template(const std::string& message, std::string_view key_template) {
  if (key_template.empty()) return message;
  return fmt::format("{} (key template '{}')", message, key_template);
}

}  // namespace

Error::Error(const std::string& message, std::string_view key_template)
    : std::runtime_error(with_template(message, key_template)), key_template_(key_template) {}

}  // namespace keyspace
