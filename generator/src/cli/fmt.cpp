// `keyspace fmt SCHEMA [--check]`: rewrite a schema in canonical order and style (docs/fmt.md).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/cli.hpp"
#include "diag/diagnostics.hpp"
#include "emit/output.hpp"
#include "load/document.hpp"
#include "tools/format.hpp"

namespace keyspace::gen::cli {
namespace {

struct FmtArgs {
  std::string schema_path;
  bool check = false;
};

// The file's text, or nullopt after printing why it cannot be read.
std::optional<std::string> read_schema(const std::string& path) {
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path, ec)) {
    DiagnosticSink sink;
    load_document(path, sink);  // reports the reason as a located diagnostic
    for (const Diagnostic& d : sink.sorted()) std::cerr << format_text(d);
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Replaces the file through a temporary file and a rename; a symlinked schema is written at its
// target (the link stays), and the file keeps its permissions.
int write_formatted(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target(path);
  if (fs::is_symlink(target, ec)) target = fs::canonical(target, ec);
  const fs::perms permissions = fs::status(target, ec).permissions();
  const std::string directory = target.has_parent_path() ? target.parent_path().string() : ".";
  const WriteResult result = write_outputs(directory, {{target.filename().string(), text}});
  if (!result.error.empty()) {
    std::cerr << "keyspace: error: " << result.error << '\n';
    return kSchemaErrors;
  }
  if (!ec) fs::permissions(target, permissions, ec);
  std::cout << "formatted " << path << '\n';
  return kOk;
}

int run_fmt(const FmtArgs& args) {
  const std::optional<std::string> original = read_schema(args.schema_path);
  if (!original) return kSchemaErrors;
  DiagnosticSink sink;
  const FormatResult result = format_schema_text(args.schema_path, *original, sink);
  for (const Diagnostic& d : sink.sorted()) std::cerr << format_text(d);
  if (result.comment) {
    std::cerr << result.comment->file << ':' << result.comment->line << ':' << result.comment->column
              << ": error: fmt cannot keep this comment (comments are kept only at the top of the file); "
                 "move it there or remove it. The file was not changed.\n";
    return kSchemaErrors;
  }
  if (!result.text) return kSchemaErrors;
  if (*result.text == *original) {
    std::cout << args.schema_path << ": already formatted\n";
    return kOk;
  }
  if (args.check) {
    std::cerr << args.schema_path << ": not formatted (run `keyspace fmt " << args.schema_path << "`)\n";
    return kSchemaErrors;
  }
  return write_formatted(args.schema_path, *result.text);
}

}  // namespace

void add_fmt_command(CLI::App& app, Action& selected) {
  auto args = std::make_shared<FmtArgs>();
  CLI::App* cmd = app.add_subcommand("fmt", "Rewrite a schema in canonical order and style");
  cmd->footer(
      "Canonical form (docs/fmt.md): sections and fields in a fixed order; services, types, namespaces,\n"
      "keys, fields and params in the author's order; 2-space indentation. The document, its sections\n"
      "(policies, services, types, namespaces), every namespace, type and key, and the keys of a\n"
      "namespace and fields of a type are block style. Every other mapping or list is written on one\n"
      "line in flow style ({a: b}, [a, b]) when the line fits in 100 columns, otherwise block style.\n"
      "Strings are double-quoted only when a plain scalar would read differently.\n"
      "Comment lines at the top of the file are kept; a schema with any other comment is not\n"
      "rewritten (exit 1). Only schemas without errors are formatted.");
  cmd->add_option("schema", args->schema_path, "Schema file (YAML)")->required();
  cmd->add_flag("--check", args->check, "Write nothing; exit 1 when the file is not formatted (for CI)");
  cmd->callback([&selected, args] { selected = [args] { return run_fmt(*args); }; });
}

}  // namespace keyspace::gen::cli
