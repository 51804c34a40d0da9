// `keyspace diff OLD NEW` and `keyspace diff NEW --against REV`: classify every change between two
// versions of a schema and report it as Markdown (a pull-request comment) or JSON.
// Exit codes: 0 no unacknowledged breaking change, 1 breaking change (or schema errors), 2 usage.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <set>

#include "cli/cli.hpp"
#include "pipeline.hpp"
#include "tools/diff.hpp"
#include "tools/diff_report.hpp"

namespace keyspace::gen::cli {
namespace {

struct DiffArgs {
  std::vector<std::string> schemas;  // OLD NEW, or NEW with --against
  std::optional<std::string> against;
  std::string format = "markdown";
  std::vector<std::string> allow;
};

// Prints the diagnostics; true when the schema has errors.
bool report_errors(const DiagnosticSink& sink) {
  bool errors = false;
  for (const Diagnostic& d : sink.sorted()) {
    std::cerr << format_text(d);
    errors = errors || d.severity == Severity::error;
  }
  return errors;
}

std::optional<Schema> load_for_diff(const std::string& path, const std::optional<std::string>& text) {
  DiagnosticSink sink;
  std::optional<Schema> schema = text ? load_schema_text(path, *text, sink) : load_schema(path, sink);
  if (report_errors(sink) || !schema) return std::nullopt;
  return schema;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command; its standard output, or nullopt when it fails (git prints why on stderr).
std::optional<std::string> run_capture(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return std::nullopt;
  std::string out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  return pclose(pipe) == 0 ? std::optional<std::string>(out) : std::nullopt;
}

struct GitFile {
  std::string display_path;  // "REV:path/in/repo.yaml"
  std::string text;
};

// The schema at `path` as it was in revision `rev` of the git repository that holds it.
std::optional<GitFile> read_from_git(const std::string& path, const std::string& rev) {
  std::string dir = ".", name = path;
  if (const std::size_t slash = path.rfind('/'); slash != std::string::npos) {
    dir = slash == 0 ? "/" : path.substr(0, slash);
    name = path.substr(slash + 1);
  }
  const std::string git = "git -C " + shell_quote(dir) + " ";
  std::optional<std::string> prefix = run_capture(git + "rev-parse --show-prefix");
  if (!prefix) {
    std::cerr << "keyspace: error: '" << dir << "' is not inside a git repository\n";
    return std::nullopt;
  }
  while (!prefix->empty() && (prefix->back() == '\n' || prefix->back() == '\r')) prefix->pop_back();
  const std::string object = rev + ":" + *prefix + name;
  std::optional<std::string> text = run_capture(git + "show " + shell_quote(object));
  if (!text) {
    std::cerr << "keyspace: error: cannot read '" << object << "' with git show\n";
    return std::nullopt;
  }
  return GitFile{object, *text};
}

int usage_error(const std::string& message) {
  std::cerr << "keyspace: error: " << message << '\n';
  return kUsage;
}

int run_diff(const DiffArgs& args) {
  if (args.against ? args.schemas.size() != 1 : args.schemas.size() != 2) {
    return usage_error(args.against ? "with --against, give only the new schema" : "give OLD and NEW schema files, or NEW --against REV");
  }
  const auto is_change_code = [](const std::string& c) {
    return c.size() == 6 && c.compare(0, 2, "KD") == 0 &&
           std::all_of(c.begin() + 2, c.end(), [](char d) { return d >= '0' && d <= '9'; });
  };
  for (const std::string& c : args.allow) {
    if (!is_change_code(c)) return usage_error("--allow takes a change code such as KD2001, not '" + c + "'");
  }
  const std::string new_path = args.schemas.back();
  std::optional<GitFile> from_git;
  if (args.against && !(from_git = read_from_git(new_path, *args.against))) return kUsage;
  const std::string old_path = from_git ? from_git->display_path : args.schemas.front();
  const std::optional<Schema> before =
      load_for_diff(old_path, from_git ? std::optional<std::string>(from_git->text) : std::nullopt);
  const std::optional<Schema> after = load_for_diff(new_path, std::nullopt);
  if (!before || !after) return kSchemaErrors;

  std::vector<Change> changes = diff_schemas(*before, *after);
  acknowledge(changes, *before, *after, std::set<std::string>(args.allow.begin(), args.allow.end()));
  const DiffReportInput input{old_path, new_path, &changes};
  std::cout << (args.format == "json" ? render_diff_json(input) : render_diff_markdown(input));
  return has_unacknowledged_breaking(changes) ? 1 : kOk;
}

}  // namespace

void add_diff_command(CLI::App& app, Action& selected) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand("diff", "Report the changes between two versions of a schema, breaking ones first");
  cmd->add_option("schemas", args->schemas, "OLD NEW schema files, or NEW alone with --against")->required()->expected(1, 2);
  cmd->add_option("--against", args->against, "Compare NEW with its version in this git revision (git show REV:path)");
  cmd->add_option("--format", args->format, "Report format")->check(CLI::IsMember({"markdown", "json"}));
  cmd->add_option("--allow", args->allow, "Acknowledge every change with this code (repeatable)");
  cmd->callback([&selected, args] { selected = [args] { return run_diff(*args); }; });
}

}  // namespace keyspace::gen::cli
