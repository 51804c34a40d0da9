// keyspace: checks Redis keyspace schemas and generates typed C++ accessors for them.
// Exit codes: 0 success, 1 schema errors (or output could not be written), 2 usage errors.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cpp_emitter.hpp"
#include "diagnostics.hpp"
#include "output.hpp"
#include "pipeline.hpp"

namespace {

using namespace keyspace::gen;

constexpr int kOk = 0;
constexpr int kSchemaErrors = 1;
constexpr int kUsage = 2;

// Prints every diagnostic; returns the schema when it has no errors.
std::optional<Schema> check(const std::string& path) {
  DiagnosticSink sink;
  std::optional<Schema> schema = load_schema(path, sink);
  for (const Diagnostic& d : sink.sorted()) std::cerr << format_text(d);
  if (!schema || sink.has_errors()) return std::nullopt;
  return schema;
}

int run_check(const std::string& path) {
  if (!check(path)) return kSchemaErrors;
  std::cout << path << ": ok\n";
  return kOk;
}

int run_generate(const std::string& path, const std::string& out_dir, const std::optional<std::string>& service) {
  const std::optional<Schema> schema = check(path);
  if (!schema) return kSchemaErrors;
  if (service && !schema->find_service(*service)) {
    std::cerr << "keyspace: error: unknown service '" << *service << "'; the schema declares:";
    for (const Service& s : schema->services) std::cerr << ' ' << s.name;
    std::cerr << '\n';
    return kUsage;
  }
  const OutputSet files = emit_cpp(*schema, {service, path});
  const WriteResult result = write_outputs(out_dir, files);
  if (!result.error.empty()) {
    std::cerr << "keyspace: error: " << result.error << '\n';
    return kSchemaErrors;
  }
  for (const std::string& p : result.written) std::cout << "wrote " << p << '\n';
  for (const std::string& p : result.unchanged) std::cout << "unchanged " << p << '\n';
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"keyspace: typed C++ accessors, docs and lint for Redis keyspaces", "keyspace"};
  app.set_version_flag("--version", "keyspace " KEYSPACE_VERSION);
  app.require_subcommand(1);

  std::string schema_path, out_dir;
  std::optional<std::string> service;
  CLI::App* generate = app.add_subcommand("generate", "Check a schema and generate its C++ accessors");
  generate->add_option("schema", schema_path, "Schema file (YAML)")->required();
  generate->add_option("-o,--output", out_dir, "Output directory (receives <name>/keyspace.hpp and .cpp)")->required();
  generate->add_option("--service", service, "Generate the view of one service: only what it may touch");

  CLI::App* check_cmd = app.add_subcommand("check", "Check a schema and print its diagnostics");
  check_cmd->add_option("schema", schema_path, "Schema file (YAML)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }
  try {
    if (*generate) return run_generate(schema_path, out_dir, service);
    return run_check(schema_path);
  } catch (const std::exception& e) {
    std::cerr << "keyspace: internal error: " << e.what() << '\n';
    return 3;
  }
}
