#pragma once
// Shared pieces of the `keyspace` subcommands. Each subcommand lives in its own cli_<name>.cpp
// and registers itself with CLI11; when the command line selects it, its callback stores the
// action that main() runs after parsing.

#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "emit/output.hpp"
#include "model/model.hpp"

namespace keyspace::gen::cli {

inline constexpr int kOk = 0;
inline constexpr int kSchemaErrors = 1;  // also: output could not be written
inline constexpr int kUsage = 2;
inline constexpr int kUnavailable = 3;  // a server the command needs could not be reached (audit)

using Action = std::function<int()>;

// How a subcommand reports schema diagnostics (docs/diagnostic-formats.md).
struct DiagnosticOptions {
  std::string format = "text";  // text | json | github | sarif
  std::string color = "auto";   // auto (stderr is a TTY and NO_COLOR is unset or empty) | always | never
  bool werror = false;          // warnings count as errors
  // `check` prints json/github/sarif on stdout; the other subcommands keep stdout for their own
  // output (export prints the model there) and print every format on stderr.
  bool machine_formats_on_stdout = false;
};

// Shared by every subcommand (cli/common.cpp).

// Adds the format option (named `format_flag`: `--format` on check, `--diagnostics-format`
// where `--format` means something else), --color and --werror to a subcommand.
void add_diagnostic_options(CLI::App* cmd, DiagnosticOptions& options, const std::string& format_flag);

// Runs every phase up to lint on `path`, applies `# keyspace: ignore` comments and --werror,
// prints the diagnostics as `options` says, and returns the schema when it has no errors.
std::optional<Schema> check_schema(const std::string& path, const DiagnosticOptions& options = {});

// Whether an `--environment` option fits the schema: one of its environments, and none when
// it declares none; given when `required` and the schema declares some. Prints why not.
bool check_environment(const Schema& schema, const std::optional<std::string>& environment,
                       const std::string& command, bool required);

// Whether a `--key-prefix` option is ':'-separated non-empty segments (or empty), as the
// runtime's Options::key_prefix must be. Prints why not.
bool check_key_prefix(const std::string& key_prefix, const std::string& command);

// Prints what write_outputs wrote (or its error) the way every writing subcommand does; returns
// the exit code.
int report_written(const WriteResult& result);

void add_check_command(CLI::App& app, Action& selected);
void add_generate_command(CLI::App& app, Action& selected);
void add_docs_command(CLI::App& app, Action& selected);
void add_export_command(CLI::App& app, Action& selected);
void add_diff_command(CLI::App& app, Action& selected);
void add_fmt_command(CLI::App& app, Action& selected);
void add_acl_command(CLI::App& app, Action& selected);
void add_audit_command(CLI::App& app, Action& selected);
void add_init_command(CLI::App& app, Action& selected);

}  // namespace keyspace::gen::cli
