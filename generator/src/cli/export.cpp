// `keyspace export SCHEMA [--format json]`: check, then print the resolved model (docs/export.md).
#include <iostream>
#include <memory>

#include "cli/cli.hpp"
#include "emit/export/export.hpp"

namespace keyspace::gen::cli {
namespace {

struct ExportArgs {
  std::string schema_path;
  std::string format = "json";
  DiagnosticOptions diagnostics;
};

int run_export(const ExportArgs& args) {
  const std::optional<Schema> schema = check_schema(args.schema_path, args.diagnostics);
  if (!schema) return kSchemaErrors;
  std::cout << export_model(*schema).dump(2) << '\n';
  return kOk;
}

}  // namespace

void add_export_command(CLI::App& app, Action& selected) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand("export", "Check a schema and print its resolved model for other tools");
  cmd->add_option("schema", args->schema_path, "Schema file (YAML)")->required();
  // Only JSON for now; the option exists so that scripts state the format they parse.
  cmd->add_option("--format", args->format, "Output format")->check(CLI::IsMember({"json"}))->capture_default_str();
  add_diagnostic_options(cmd, args->diagnostics, "--diagnostics-format");
  cmd->callback([&selected, args] { selected = [args] { return run_export(*args); }; });
}

}  // namespace keyspace::gen::cli
