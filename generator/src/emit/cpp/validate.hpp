#pragma once
// What a schema may not name because of the C++ the backend generates: the C++ namespace, names
// that become members beside the generated ones (`Keyspace::batch()`, `Keys::client_`, a tag's
// `invalidate_<tag>`), parameter names the kind's operations take (emit/cpp/operations.hpp).
// Run by every subcommand after the model is built, before lint (KS0202 reserved name, KS0203 C++
// namespace, KS0412 tag clash).

#include "diag/diagnostics.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

void validate_cpp(const Schema& schema, DiagnosticSink& sink);

}  // namespace keyspace::gen
