// `keyspace generate SCHEMA -o DIR [--service NAME] [--print-outputs]`: check, then write the C++
// accessors, or with --print-outputs only print the paths it would write, one per line (what a
// build system needs to know before the first build).
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/cli.hpp"
#include "emit/cpp/emitter.hpp"
#include "emit/output.hpp"

namespace keyspace::gen::cli {
namespace {

struct GenerateArgs {
  std::string schema_path;
  std::string out_dir;
  std::optional<std::string> service;
  bool print_outputs = false;
  DiagnosticOptions diagnostics;
};

int run_generate(const GenerateArgs& args) {
  const std::optional<Schema> schema = check_schema(args.schema_path, args.diagnostics);
  if (!schema) return kSchemaErrors;
  if (args.service && !schema->find_service(*args.service)) {
    std::cerr << "keyspace: error: unknown service '" << *args.service << "'; the schema declares:";
    for (const Service& s : schema->services) std::cerr << ' ' << s.name;
    std::cerr << '\n';
    return kUsage;
  }
  const OutputSet files = emit_cpp(*schema, {args.service, args.schema_path});
  if (args.print_outputs) {
    for (const auto& [path, text] : files) std::cout << (std::filesystem::path(args.out_dir) / path).string() << '\n';
    return kOk;
  }
  return report_written(write_outputs(args.out_dir, files));
}

}  // namespace

void add_generate_command(CLI::App& app, Action& selected) {
  auto args = std::make_shared<GenerateArgs>();
  CLI::App* cmd = app.add_subcommand("generate", "Check a schema and generate its C++ accessors");
  cmd->add_option("schema", args->schema_path, "Schema file (YAML)")->required();
  cmd->add_option("-o,--output", args->out_dir, "Output directory (receives <name>/keyspace.hpp and .cpp)")->required();
  cmd->add_option("--service", args->service, "Generate the view of one service: only what it may touch");
  cmd->add_flag("--print-outputs", args->print_outputs, "Write nothing; print the paths that would be written");
  add_diagnostic_options(cmd, args->diagnostics, "--diagnostics-format");
  cmd->callback([&selected, args] { selected = [args] { return run_generate(*args); }; });
}

}  // namespace keyspace::gen::cli
