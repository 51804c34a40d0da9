#pragma once
// The operations of every kind's generated accessor, written down once: their names, whether they
// write, and the argument names they declare. The templates (templates/cpp/kind_<kind>.*) render
// each write operation inside `{{#can_write}}`; a service that only reads a key gets one stub per
// write operation of this catalog instead, which fails to compile with the key's writer named.
// The C++ checks (reserved parameter names) and the documentation read the same lists, and a test
// (tests/unit/operation_catalog_test.cpp) fails when a rendered accessor declares an operation
// this catalog does not have, so a new operation cannot stay callable by a reader unnoticed.

#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace keyspace::gen {

enum class OperationAccess { read, write };  // write: changes data, or consumes it like a queue's pop

// Whether an accessor declares an operation of its kind; null in the catalog: every accessor does.
using KeyCondition = bool (*)(const Key&);

// Field operations of a hash with named fields are one per field, or one per integer field,
// named `<name><field>` (`set_email`, `incr_visits`).
enum class PerField { no, each_field, each_int64_field };

struct Operation {
  std::string_view name;
  OperationAccess access;
  std::vector<std::string_view> arguments;  // besides the key's parameters (and `batch`)
  KeyCondition declared_when = nullptr;
  PerField per_field = PerField::no;
};

struct KindOperations {
  std::vector<Operation> operations;  // in the order the accessor declares them
  // Other names the generated definitions use (members they call, locals), which a parameter of
  // the key must not shadow either.
  std::vector<std::string_view> body_names;
};

const KindOperations& operations_of(Kind kind);

// The names of `key`'s operations of the given access, field operations expanded over its fields.
std::vector<std::string> operation_names(const Key& key, OperationAccess access);

// The names a parameter of a key of `kind` must not take: every argument and body name.
std::vector<std::string_view> reserved_parameter_names(Kind kind);

}  // namespace keyspace::gen
