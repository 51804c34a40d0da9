// `keyspace audit SCHEMA --redis URL [--environment E] [--budget N] [--format text|json|markdown|prometheus]`:
// check, then SCAN a live Redis and report how its keys match the schema (docs/audit.md). Exits
// 1 on findings, for CI against a staging server, and 3 when the server cannot be reached.
#include <chrono>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include <keyspace/errors.hpp>

#include "cli/cli.hpp"
#include "tools/audit.hpp"

namespace keyspace::gen::cli {
namespace {

struct AuditArgs {
  std::string schema_path;
  std::string url;
  std::string format = "text";
  AuditOptions audit;
  std::optional<std::string> environment;
  long timeout_ms = 5000;
  std::string key_prefix;
  DiagnosticOptions diagnostics;
};

int run_audit(AuditArgs& args) {
  try {
    args.audit.server = keyspace::Options::from_url(args.url);
  } catch (const keyspace::ConfigError& e) {
    std::cerr << "keyspace audit: " << e.what() << '\n';
    return kUsage;
  }
  if (!check_key_prefix(args.key_prefix, "audit")) return kUsage;
  args.audit.server.key_prefix = args.key_prefix;
  const std::optional<Schema> schema = check_schema(args.schema_path, args.diagnostics);
  if (!schema) return kSchemaErrors;
  if (!check_environment(*schema, args.environment, "audit", true)) return kUsage;
  args.audit.environment = args.environment.value_or("");
  args.audit.timeout = std::chrono::milliseconds(args.timeout_ms);
  AuditReport report;
  try {
    report = audit_server(*schema, args.audit);
  } catch (const AuditUnavailable& e) {
    std::cerr << "keyspace audit: " << e.what() << '\n';
    return kUnavailable;
  }
  const AuditFormat format = args.format == "json"         ? AuditFormat::json
                             : args.format == "markdown"   ? AuditFormat::markdown
                             : args.format == "prometheus" ? AuditFormat::prometheus
                                                           : AuditFormat::text;
  std::cout << render_audit(report, format);
  return report.findings() == 0 ? kOk : kSchemaErrors;
}

}  // namespace

void add_audit_command(CLI::App& app, Action& selected) {
  auto args = std::make_shared<AuditArgs>();
  CLI::App* cmd = app.add_subcommand("audit", "Check a schema, then report how the keys of a live Redis match it");
  cmd->add_option("schema", args->schema_path, "Schema file (YAML)")->required();
  cmd->add_option("--redis", args->url, "redis://[[user]:password@]host[:port][/db] or unix://[[user]:password@]/path.sock[?db=N]")->required();
  cmd->add_option("--key-prefix", args->key_prefix, "The clients' Options::key_prefix (REDIS_KEY_PREFIX), before the environment");
  cmd->add_option("--environment", args->environment,
                  "Scan the keys of this environment (their '<env>:' prefix); required when the schema declares environments");
  cmd->add_option("--budget", args->audit.budget, "Scan at most this many keys")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--count", args->audit.count, "SCAN COUNT per round trip")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--samples", args->audit.samples, "MEMORY USAGE samples per template")->capture_default_str();
  cmd->add_option("--timeout", args->timeout_ms, "Milliseconds to connect and to wait for each reply")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--rate", args->audit.max_keys_per_second, "Keys per second at most (walked by SCAN)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--format", args->format, "text, json, markdown or prometheus (gauges for a textfile collector)")
      ->check(CLI::IsMember({"text", "json", "markdown", "prometheus"}))
      ->capture_default_str();
  add_diagnostic_options(cmd, args->diagnostics, "--diagnostics-format");
  cmd->callback([&selected, args] { selected = [args] { return run_audit(*args); }; });
}

}  // namespace keyspace::gen::cli
