// `keyspace docs SCHEMA -o DIR`: check, then write the keyspace documentation (Markdown and one
// self-contained HTML page).
#include <memory>

#include "cli/cli.hpp"
#include "emit/docs/emitter.hpp"
#include "emit/output.hpp"

namespace keyspace::gen::cli {
namespace {

struct DocsArgs {
  std::string schema_path;
  std::string out_dir;
  DiagnosticOptions diagnostics;
};

int run_docs(const DocsArgs& args) {
  const std::optional<Schema> schema = check_schema(args.schema_path, args.diagnostics);
  if (!schema) return kSchemaErrors;
  return report_written(write_outputs(args.out_dir, emit_docs(*schema, args.schema_path)));
}

}  // namespace

void add_docs_command(CLI::App& app, Action& selected) {
  auto args = std::make_shared<DocsArgs>();
  CLI::App* cmd = app.add_subcommand("docs", "Check a schema and write its documentation (Markdown and HTML)");
  cmd->add_option("schema", args->schema_path, "Schema file (YAML)")->required();
  cmd->add_option("-o,--output", args->out_dir,
                  "Output directory (receives index.md, <namespace>.md, types.md and index.html)")->required();
  add_diagnostic_options(cmd, args->diagnostics, "--diagnostics-format");
  cmd->callback([&selected, args] { selected = [args] { return run_docs(*args); }; });
}

}  // namespace keyspace::gen::cli
