// `keyspace check SCHEMA`: validate and lint, print every diagnostic.
#include <iostream>
#include <memory>

#include "cli/cli.hpp"

namespace keyspace::gen::cli {

void add_check_command(CLI::App& app, Action& selected) {
  auto schema_path = std::make_shared<std::string>();
  auto options = std::make_shared<DiagnosticOptions>();
  options->machine_formats_on_stdout = true;
  CLI::App* cmd = app.add_subcommand("check", "Check a schema and print its diagnostics");
  cmd->add_option("schema", *schema_path, "Schema file (YAML)")->required();
  add_diagnostic_options(cmd, *options, "--format");
  cmd->callback([&selected, schema_path, options] {
    selected = [schema_path, options] {
      if (!check_schema(*schema_path, *options)) return kSchemaErrors;
      // The machine formats are complete documents on stdout; a trailing line would break them.
      if (options->format == "text") std::cout << *schema_path << ": ok\n";
      return kOk;
    };
  });
}

}  // namespace keyspace::gen::cli
