// libFuzzer entry point: every byte string goes through what `keyspace check` does with a file's
// text — load -> validate -> model -> lint, the `# keyspace: ignore` suppressions, and the text
// rendering with source excerpts. Whatever the input, this must return with diagnostics; a crash,
// a sanitizer report, a hang or unbounded memory is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "diag/formats.hpp"
#include "diag/diagnostics.hpp"
#include "pipeline.hpp"
#include "diag/suppressions.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string file = "fuzz.yaml";
  const std::string text(reinterpret_cast<const char*>(data), size);
  keyspace::gen::DiagnosticSink sink;
  const bool has_schema = keyspace::gen::load_schema_text(file, text, sink).has_value();
  const auto diagnostics = keyspace::gen::apply_suppressions(sink.sorted(), file, text, has_schema);
  (void)keyspace::gen::render_text(diagnostics, {{file, text}});
  return 0;
}
