// `keyspace acl SCHEMA [--service S] [--environment E] [--key-prefix P]
// [--format acl-file|commands|json] [--redis-version 7.0] [--nopass] [--output FILE]`: check, then print (or write) one Redis ACL
// user per service and environment (docs/acl.md).
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "diag/diagnostics.hpp"
#include "emit/acl/acl.hpp"
#include "emit/output.hpp"

namespace keyspace::gen::cli {
namespace {

struct AclArgs {
  std::string schema_path;
  std::string format = "acl-file";
  std::string redis_version = "7.0";
  std::string output;
  AclOptions acl;
  std::optional<std::string> service, environment;
  DiagnosticOptions diagnostics;
};

bool parse_version(const std::string& text, AclOptions& acl) {
  const std::size_t dot = text.find('.');
  if (dot == std::string::npos) return false;
  try {
    acl.redis_major = std::stoi(text.substr(0, dot));
    acl.redis_minor = std::stoi(text.substr(dot + 1));
  } catch (const std::exception&) {
    return false;
  }
  // 6.2 brought what the rules and the runtime need: resetchannels, `&` patterns, GETEX, LMOVE.
  return acl.redis_major > 6 || (acl.redis_major == 6 && acl.redis_minor >= 2);
}

int run_acl(AclArgs& args) {
  if (!parse_version(args.redis_version, args.acl)) {
    std::cerr << "keyspace acl: --redis-version must be MAJOR.MINOR, 6.2 or later (channel permissions and the "
                 "commands the generated code sends came with Redis 6.2)\n";
    return kUsage;
  }
  const std::optional<Schema> schema = check_schema(args.schema_path, args.diagnostics);
  if (!schema) return kSchemaErrors;
  if (!check_environment(*schema, args.environment, "acl", false)) return kUsage;
  if (!check_key_prefix(args.acl.key_prefix, "acl")) return kUsage;
  args.acl.service = args.service;
  args.acl.environment = args.environment;
  if (args.service && !schema->find_service(*args.service)) {
    std::cerr << fmt::format("keyspace acl: schema declares no service '{}'\n", *args.service);
    return kUsage;
  }
  DiagnosticSink sink;
  const std::vector<AclUser> users = acl_users(*schema, args.acl, sink);
  for (const Diagnostic& d : sink.sorted()) std::cerr << format_text(d) << '\n';
  if (sink.has_errors() || (args.diagnostics.werror && !sink.all().empty())) return kSchemaErrors;
  const AclFormat format = args.format == "json"       ? AclFormat::json
                           : args.format == "commands" ? AclFormat::commands
                                                       : AclFormat::acl_file;
  const std::string text = render_acl(users, format);
  if (args.output.empty()) {
    std::cout << text;
    return kOk;
  }
  const std::filesystem::path path(args.output);
  const std::string directory = path.has_parent_path() ? path.parent_path().string() : ".";
  return report_written(write_outputs(directory, {{path.filename().string(), text}}));
}

}  // namespace

void add_acl_command(CLI::App& app, Action& selected) {
  auto args = std::make_shared<AclArgs>();
  CLI::App* cmd = app.add_subcommand("acl", "Check a schema and print a Redis ACL user per service and environment");
  cmd->add_option("schema", args->schema_path, "Schema file (YAML)")->required();
  cmd->add_option("--service", args->service, "Only this service's users");
  cmd->add_option("--environment", args->environment, "Only this environment's users (default: every declared one)");
  cmd->add_option("--format", args->format, "acl-file (for redis-server's aclfile), commands (ACL SETUSER lines) or json")
      ->check(CLI::IsMember({"acl-file", "commands", "json"}))
      ->capture_default_str();
  cmd->add_option("--redis-version", args->redis_version,
                  "Oldest Redis the rules must load on; before 7.0, read-only grants degrade to read-write (a warning)")
      ->capture_default_str();
  cmd->add_option("--key-prefix", args->acl.key_prefix,
                  "The clients' Options::key_prefix (REDIS_KEY_PREFIX), before the environment in every pattern");
  cmd->add_flag("--nopass", args->acl.nopass, "Users without a password (development and tests only)");
  cmd->add_option("--output", args->output, "Write to this file (atomically) instead of standard output");
  add_diagnostic_options(cmd, args->diagnostics, "--diagnostics-format");
  cmd->callback([&selected, args] { selected = [args] { return run_acl(*args); }; });
}

}  // namespace keyspace::gen::cli
