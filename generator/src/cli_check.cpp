// `keyspace check SCHEMA`: validate and lint, print every diagnostic.
#include <iostream>
#include <memory>

#include "cli.hpp"
#include "diagnostics.hpp"
#include "pipeline.hpp"

namespace keyspace::gen::cli {

std::optional<Schema> check_schema(const std::string& path) {
  DiagnosticSink sink;
  std::optional<Schema> schema = load_schema(path, sink);
  for (const Diagnostic& d : sink.sorted()) std::cerr << format_text(d);
  if (!schema || sink.has_errors()) return std::nullopt;
  return schema;
}

void add_check_command(CLI::App& app, Action& selected) {
  auto schema_path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("check", "Check a schema and print its diagnostics");
  cmd->add_option("schema", *schema_path, "Schema file (YAML)")->required();
  cmd->callback([&selected, schema_path] {
    selected = [schema_path] {
      if (!check_schema(*schema_path)) return kSchemaErrors;
      std::cout << *schema_path << ": ok\n";
      return kOk;
    };
  });
}

}  // namespace keyspace::gen::cli
