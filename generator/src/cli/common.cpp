// What every subcommand shares: the diagnostic options, checking a schema and printing its
// diagnostics (check_schema), and reporting the files a subcommand wrote (report_written).
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <utility>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/cli.hpp"
#include "diag/diagnostics.hpp"
#include "diag/formats.hpp"
#include "diag/suppressions.hpp"
#include "load/document.hpp"
#include "pipeline.hpp"

namespace keyspace::gen::cli {
namespace {

// https://no-color.org: NO_COLOR set to any non-empty value disables colors; an explicit
// `--color always` (a per-invocation choice) still wins over it.
bool use_color(const std::string& choice) {
  if (choice == "always") return true;
  if (choice == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return isatty(STDERR_FILENO) == 1;
}

struct CheckedSchema {
  std::optional<Schema> schema;
  std::vector<Diagnostic> diagnostics;
  SourceFiles sources;
};

// Reads the file once: its text feeds the parser, the suppressions and the source excerpts.
CheckedSchema run_checks(const std::string& path, bool werror) {
  CheckedSchema out;
  DiagnosticSink sink;
  const std::optional<std::string> text = read_schema_file(path, sink);
  if (text) out.schema = load_schema_text(path, *text, sink);
  out.diagnostics = sink.sorted();
  if (text) {
    out.diagnostics = apply_suppressions(std::move(out.diagnostics), path, *text, out.schema.has_value());
    out.sources.emplace(path, *text);
  }
  if (werror) promote_warnings(out.diagnostics);
  return out;
}

void print_diagnostics(const CheckedSchema& checked, const DiagnosticOptions& options) {
  const DiagnosticFormat format = parse_diagnostic_format(options.format).value_or(DiagnosticFormat::text);
  const bool on_stdout = options.machine_formats_on_stdout && format != DiagnosticFormat::text;
  const RenderOptions render{format == DiagnosticFormat::text && use_color(options.color)};
  (on_stdout ? std::cout : std::cerr) << render_diagnostics(format, checked.diagnostics, checked.sources, render);
}

}  // namespace

void add_diagnostic_options(CLI::App* cmd, DiagnosticOptions& options, const std::string& format_flag) {
  cmd->add_option(format_flag, options.format, "How to print diagnostics: text, json, github (workflow "
                                               "annotations) or sarif (SARIF 2.1.0)")
      ->check(CLI::IsMember({"text", "json", "github", "sarif"}))
      ->capture_default_str();
  cmd->add_option("--color", options.color, "Colors in text diagnostics: auto (a terminal, NO_COLOR unset), "
                                            "always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_flag("--werror", options.werror, "Treat warnings as errors (exit code 1)");
}

std::optional<Schema> check_schema(const std::string& path, const DiagnosticOptions& options) {
  CheckedSchema checked = run_checks(path, options.werror);
  print_diagnostics(checked, options);
  if (!checked.schema || count_severity(checked.diagnostics, Severity::error) > 0) return std::nullopt;
  return std::move(checked.schema);
}

bool check_environment(const Schema& schema, const std::optional<std::string>& environment,
                       const std::string& command, bool required) {
  const std::vector<std::string>& declared = schema.environments;
  std::string error;
  if (!environment) {
    if (required && !declared.empty()) {
      error = fmt::format("--environment is required: the schema's keys live under one of {}", fmt::join(declared, ", "));
    }
  } else if (declared.empty()) {
    error = fmt::format("the schema declares no environments, so its keys have no '{}:' prefix", *environment);
  } else if (std::find(declared.begin(), declared.end(), *environment) == declared.end()) {
    error = fmt::format("the schema declares no environment '{}' (it has {})", *environment, fmt::join(declared, ", "));
  }
  if (error.empty()) return true;
  std::cerr << "keyspace " << command << ": " << error << '\n';
  return false;
}

bool check_key_prefix(const std::string& key_prefix, const std::string& command) {
  if (key_prefix.empty()) return true;
  if (key_prefix.front() != ':' && key_prefix.back() != ':' && key_prefix.find("::") == std::string::npos) return true;
  std::cerr << "keyspace " << command << ": --key-prefix '" << key_prefix
            << "' has an empty segment (write it without a leading or trailing ':')\n";
  return false;
}

int report_written(const WriteResult& result) {
  if (!result.error.empty()) {
    std::cerr << "keyspace: error: " << result.error << '\n';
    return kSchemaErrors;
  }
  for (const std::string& p : result.written) std::cout << "wrote " << p << '\n';
  for (const std::string& p : result.unchanged) std::cout << "unchanged " << p << '\n';
  return kOk;
}

}  // namespace keyspace::gen::cli
