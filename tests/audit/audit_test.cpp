// `keyspace audit` against a real redis-server: a seeded keyspace is reported exactly (conforming
// keys, a leaked key without its TTL, a TTL above the schema's, a wrong type, keys of another
// environment left alone, foreign keys grouped), the CLI exits 1 on findings and 0 on a clean
// keyspace, and a run over 1,000,000 keys stops at its budget.
#include <algorithm>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keyspace_test/redis_server.hpp"
#include "pipeline.hpp"
#include "subprocess.hpp"
#include "tools/audit.hpp"

namespace keyspace::gen {
namespace {

Schema audited() {
  DiagnosticSink sink;
  return *load_schema(KEYSPACE_SOURCE_DIR "/tests/audit/audited.yaml", sink);
}

AuditOptions options_for(const test::RedisServer& server) {
  AuditOptions options;
  options.server = server.options();
  options.environment = "test";
  return options;
}

const TemplateReport& of(const AuditReport& report, const std::string& name) {
  for (std::size_t i = 0; i < report.templates.size(); ++i) {
    if (report.templates[i].name == name) return report.per_template[i];
  }
  throw std::runtime_error("no template " + name);
}

void seed(const test::RedisServer& r) {
  r.cli({"SET", "test:shop:user:1", "ada", "PX", "3600000"});
  r.cli({"SET", "test:shop:user:2", "leaked"});  // the schema's TTL lost (PERSIST, or a raw SET)
  r.cli({"RPUSH", "test:shop:user:3", "x"});     // a list where a string belongs
  r.cli({"HSET", "test:shop:cart:1", "tea", "1"});
  r.cli({"PEXPIRE", "test:shop:cart:1", "600000"});
  r.cli({"HSET", "test:shop:cart:2", "tea", "1"});
  r.cli({"PEXPIRE", "test:shop:cart:2", "7200000"});  // 2 h on a 10 min key
  r.cli({"SET", "test:shop:edit:1:_fence", "7", "PX", "86400000"});
  r.cli({"SET", "test:shop:total", "5"});  // persistent by the schema
  r.cli({"SET", "test:other:thing", "1"});
  r.cli({"SET", "test:other:more", "1"});
  r.cli({"SET", "prod:shop:user:1", "not this environment"});
}

TEST(Audit, ReportsEachTemplateAndTheKeysNoTemplateExplains) {
  test::RedisServer server;
  seed(server);
  const AuditReport report = audit_server(audited(), options_for(server));
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.scanned, 9u);  // prod:* is another environment: not scanned
  const TemplateReport& user = of(report, "shop.user");
  EXPECT_EQ(user.keys, 3u);
  EXPECT_EQ(user.without_ttl, 1u);
  EXPECT_EQ(user.wrong_type, 1u);
  EXPECT_EQ(user.ttl_above_schema, 0u);
  std::vector<std::string> examples = user.examples;  // in SCAN's order, which is not fixed
  std::sort(examples.begin(), examples.end());
  EXPECT_EQ(examples, (std::vector<std::string>{"test:shop:user:2", "test:shop:user:3"}));
  const TemplateReport& cart = of(report, "shop.cart");
  EXPECT_EQ(cart.keys, 2u);
  EXPECT_EQ(cart.ttl_above_schema, 1u);
  EXPECT_EQ(cart.examples, std::vector<std::string>{"test:shop:cart:2"});
  EXPECT_EQ(cart.memory_samples, 2u);
  EXPECT_GT(cart.memory_sampled, 0);
  EXPECT_EQ(of(report, "shop.edit (fencing counter)").keys, 1u);
  EXPECT_EQ(of(report, "shop.edit").keys, 0u);
  const TemplateReport& total = of(report, "shop.total");
  EXPECT_EQ(total.keys, 1u);
  EXPECT_EQ(total.without_ttl, 0u);
  EXPECT_EQ(report.unexplained, (std::map<std::string, std::size_t>{{"test:other", 2}}));
  EXPECT_EQ(report.findings(), 5u);
}

TEST(Audit, TheCliExitsOneOnFindingsAndZeroOnAConformingKeyspace) {
  test::RedisServer server;
  const std::string url = "redis://" + server.host() + ":" + std::to_string(server.port());
  const std::vector<std::string> audit = {KEYSPACE_BINARY, "audit", KEYSPACE_SOURCE_DIR "/tests/audit/audited.yaml",
                                          "--redis", url, "--environment", "test", "--format", "json"};
  server.cli({"SET", "test:shop:user:1", "ada", "PX", "3600000"});
  test::ProcessOutput clean = test::run(audit);
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  seed(server);
  test::ProcessOutput found = test::run(audit);
  EXPECT_EQ(found.exit_code, 1) << found.output;
  const nlohmann::json json = nlohmann::json::parse(found.output.substr(found.output.find('{')));
  EXPECT_EQ(json["findings"], 5);
  EXPECT_EQ(json["unexplained"]["test:other"], 2);
  std::vector<std::string> gauges = audit;
  gauges.back() = "prometheus";
  const test::ProcessOutput metrics = test::run(gauges);
  EXPECT_NE(metrics.output.find("# TYPE keyspace_audit_keys gauge\n"), std::string::npos) << metrics.output;
  EXPECT_NE(metrics.output.find("keyspace_audit_keys_without_ttl{template=\"shop:user:{id}\",name=\"shop.user\"} 1\n"),
            std::string::npos)
      << metrics.output;
  EXPECT_NE(metrics.output.find("keyspace_audit_unexplained_keys{prefix=\"test:other\"} 2\n"), std::string::npos)
      << metrics.output;
  test::ProcessOutput bad = test::run({KEYSPACE_BINARY, "audit", KEYSPACE_SOURCE_DIR "/tests/audit/audited.yaml",
                                       "--redis", "http://x"});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

TEST(Audit, AMillionKeysAreScannedWithinTheBudget) {
  test::RedisServer server;
  server.cli({"DEBUG", "POPULATE", "1000000", "test:shop:user"});  // test:shop:user:<n>, no TTL: leaks
  AuditOptions options = options_for(server);
  options.budget = 100000;
  options.max_keys_per_second = 1e9;  // the rate limit is not what this measures
  const AuditReport report = audit_server(audited(), options);
  EXPECT_FALSE(report.complete);
  EXPECT_EQ(report.scanned, 100000u);
  EXPECT_EQ(of(report, "shop.user").keys, 100000u);
  EXPECT_EQ(of(report, "shop.user").without_ttl, 100000u);
  EXPECT_EQ(of(report, "shop.user").memory_samples, options.samples);
  std::printf("audit: %zu of 1,000,000 keys in %.2f s, %.0f keys/s\n", report.scanned, report.seconds,
              static_cast<double>(report.scanned) / report.seconds);
}

TEST(Audit, TheRateLimitSlowsTheScan) {
  test::RedisServer server;
  server.cli({"DEBUG", "POPULATE", "2000", "test:shop:user"});
  AuditOptions options = options_for(server);
  options.count = 100;
  options.max_keys_per_second = 10000;
  const AuditReport report = audit_server(audited(), options);
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.scanned, 2000u);
  EXPECT_GE(report.seconds, 0.15);  // 2,000 keys at 10,000 keys/s: 0.2 s, less the first page
}

// A value key's TTL may be overridden up to its namespace's maximum: 2 h on a 1 h key of a
// namespace whose maximum is a day is what the schema allows, 2 days is not.
TEST(Audit, TtlAboveSchemaIsMeasuredAgainstTheLargestOverrideTheSchemaAllows) {
  test::RedisServer server;
  server.cli({"SET", "test:feed:item:1", "x", "PX", "7200000"});
  server.cli({"SET", "test:feed:item:2", "x", "PX", "172800000"});
  const AuditReport report = audit_server(audited(), options_for(server));
  EXPECT_EQ(of(report, "feed.item").keys, 2u);
  EXPECT_EQ(of(report, "feed.item").ttl_above_schema, 1u);
  EXPECT_EQ(of(report, "feed.item").examples, std::vector<std::string>{"test:feed:item:2"});
}

// Keys are bytes from other writers: any byte reaches the report escaped, and the JSON is valid.
TEST(Audit, KeysOfAnyBytesAreReportedEscapedAndTheJsonParses) {
  test::RedisServer server;
  server.cli({"SET", std::string("test:\xff\xfe:k\n", 13), "1"});
  server.cli({"SET", "test:shop:user:\x80", "1"});  // a user row without its TTL
  const AuditReport report = audit_server(audited(), options_for(server));
  EXPECT_EQ(report.unexplained, (std::map<std::string, std::size_t>{{"test:\\xff\\xfe", 1}}));
  EXPECT_EQ(of(report, "shop.user").examples, std::vector<std::string>{"test:shop:user:\\x80"});
  const nlohmann::json json = nlohmann::json::parse(render_audit(report, AuditFormat::json));
  EXPECT_EQ(json["unexplained_examples"][0], "test:\\xff\\xfe:k\\x0a");
  EXPECT_NE(render_audit(report, AuditFormat::prometheus).find("prefix=\"test:\\\\xff\\\\xfe\""), std::string::npos);
}

// A random keyspace cannot grow the report: past kMaxBeginnings, beginnings count as "(other)".
TEST(Audit, UnexplainedBeginningsAreCappedAndTheRestCountedTogether) {
  test::RedisServer server;
  server.cli({"DEBUG", "POPULATE", "300", "test"});  // test:<n>: 300 beginnings
  const AuditReport report = audit_server(audited(), options_for(server));
  EXPECT_EQ(report.unexplained.size(), kMaxBeginnings + 1);
  EXPECT_EQ(report.unexplained.at(kOtherBeginnings), 300 - kMaxBeginnings);
}

// An auditor whose user may not read some keys still audits the others.
TEST(Audit, KeysTheAuditorMayNotReadAreCountedAndTheRunGoesOn) {
  test::RedisServer server;
  seed(server);
  server.cli({"ACL", "SETUSER", "auditor", "on", ">pw", "~test:shop:*", "+scan", "+type", "+pttl", "+memory|usage"});
  AuditOptions options = options_for(server);
  options.server.username = "auditor";
  options.server.password = "pw";
  const AuditReport report = audit_server(audited(), options);
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.scanned, 9u);
  EXPECT_EQ(report.unreadable, 2u);  // test:other:*
  EXPECT_NE(report.first_error.find("NOPERM"), std::string::npos) << report.first_error;
  EXPECT_EQ(of(report, "shop.user").keys, 3u);
  EXPECT_TRUE(report.unexplained.empty());
}

// SCAN with MATCH may walk many keys and return none: the pages are bounded by the budget too.
TEST(Audit, ABudgetBoundsTheKeysScanWalksNotOnlyThoseItReturns) {
  test::RedisServer server;
  server.cli({"DEBUG", "POPULATE", "200000", "prod:shop:user"});  // another environment's keys
  AuditOptions options = options_for(server);
  options.budget = 10000;
  options.max_keys_per_second = 1e9;
  const AuditReport report = audit_server(audited(), options);
  EXPECT_EQ(report.scanned, 0u);
  EXPECT_FALSE(report.complete);
}

TEST(Audit, AnUnreachableServerIsItsOwnExitStatus) {
  const test::ProcessOutput down = test::run({KEYSPACE_BINARY, "audit", KEYSPACE_SOURCE_DIR "/tests/audit/audited.yaml",
                                              "--redis", "redis://127.0.0.1:1", "--environment", "test", "--timeout", "500"});
  EXPECT_EQ(down.exit_code, 3) << down.output;
  EXPECT_NE(down.output.find("cannot connect to 127.0.0.1:1"), std::string::npos) << down.output;
  const test::ProcessOutput no_environment =
      test::run({KEYSPACE_BINARY, "audit", KEYSPACE_SOURCE_DIR "/tests/audit/audited.yaml", "--redis", "redis://127.0.0.1:1"});
  EXPECT_EQ(no_environment.exit_code, 2) << no_environment.output;
  EXPECT_NE(no_environment.output.find("--environment is required"), std::string::npos) << no_environment.output;
}

// The --redis URL is read by keyspace::Options::from_url (tests/runtime/options_test.cpp): the
// audit scans where it says and under the key prefix given.
TEST(Audit, ScansUnderTheKeyPrefixTheClientsUse) {
  test::RedisServer server;
  server.cli({"SET", "tenant-7:test:shop:user:1", "ada", "PX", "3600000"});
  server.cli({"SET", "test:shop:user:1", "another tenant's", "PX", "3600000"});
  const std::string url = "redis://" + server.host() + ":" + std::to_string(server.port()) + "/";
  const test::ProcessOutput run = test::run({KEYSPACE_BINARY, "audit", KEYSPACE_SOURCE_DIR "/tests/audit/audited.yaml",
                                             "--redis", url, "--environment", "test", "--key-prefix", "tenant-7",
                                             "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  const nlohmann::json json = nlohmann::json::parse(run.output.substr(run.output.find('{')));
  EXPECT_EQ(json["scanned"], 1);
  const test::ProcessOutput tls = test::run({KEYSPACE_BINARY, "audit", KEYSPACE_SOURCE_DIR "/tests/audit/audited.yaml",
                                             "--redis", "rediss://host", "--environment", "test"});
  EXPECT_EQ(tls.exit_code, 2) << tls.output;
  EXPECT_NE(tls.output.find("TLS"), std::string::npos) << tls.output;
}

}  // namespace
}  // namespace keyspace::gen
