#pragma once
// `keyspace audit` (docs/audit.md): how a live keyspace matches its schema. Every key a SCAN
// returns is classified by the template that renders it (declared or companion); per template
// the report counts keys, sampled memory, keys without the TTL the schema promises (a leak),
// TTLs above the declared one, and keys of the wrong Redis type; keys no template explains are
// grouped by their literal beginning. Classification and the report are pure; the scan of a
// server is audit_server.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <keyspace/options.hpp>

#include "model/model.hpp"

namespace keyspace::gen {

// What the schema says about the keys of one template.
struct AuditTemplate {
  std::string name;         // "profile.user", or "catalog.product (load lock)" for a companion
  std::string key_template; // as rendered in Redis, without the environment prefix
  std::string redis_type;   // as TYPE answers: string, hash, list, set, zset, stream
  bool expires = false;     // the schema gives its keys a TTL
  // The longest TTL its keys may have: the declared one, or the largest an override may set
  // (a value key's `set(..., ttl)`, up to the namespace's or kind's maximum); nullopt when
  // nothing bounds it.
  std::optional<Millis> longest_ttl;
  std::vector<Segment> segments;
};

// The templates of a schema, and which of them renders a key.
class KeyClassifier {
 public:
  KeyClassifier(const Schema& schema, const std::string& environment, const std::string& key_prefix = "");
  const std::vector<AuditTemplate>& templates() const noexcept { return templates_; }
  // "<key_prefix>:<environment>:", either part absent when empty: what every key starts with.
  const std::string& prefix() const noexcept { return prefix_; }
  // The index in templates() of the template rendering `key` (environment prefix included),
  // or nullopt. Parameter values never hold ':' (they are escaped), so a key matches a template
  // when it has as many segments and the literal ones are equal.
  std::optional<std::size_t> classify(std::string_view key) const;

 private:
  std::vector<AuditTemplate> templates_;
  std::string prefix_;
};

// What was seen of one key.
struct KeyFacts {
  std::string key;
  std::string type;                     // TYPE
  std::int64_t pttl = -2;               // PTTL: -1 no TTL, -2 gone
  std::optional<std::int64_t> memory;   // MEMORY USAGE, for sampled keys
};

struct TemplateReport {
  std::size_t keys = 0;
  std::size_t without_ttl = 0;
  std::size_t ttl_above_schema = 0;
  std::size_t wrong_type = 0;
  std::size_t memory_samples = 0;
  std::int64_t memory_sampled = 0;  // bytes, over the samples
  std::vector<std::string> examples;  // keys with a finding, the first few
};

// At most this many beginnings of unexplained keys are told apart; the others are counted
// under kOtherBeginnings, so a keyspace of random keys cannot grow the report without bound.
inline constexpr std::size_t kMaxBeginnings = 100;
inline constexpr const char* kOtherBeginnings = "(other)";

struct AuditReport {
  std::string environment;
  std::vector<AuditTemplate> templates;
  std::vector<TemplateReport> per_template;      // parallel to templates
  std::map<std::string, std::size_t> unexplained;  // by literal beginning (first two segments)
  std::vector<std::string> unexplained_examples;
  std::size_t scanned = 0;
  std::size_t unreadable = 0;  // keys whose TYPE or PTTL was refused (NOPERM, ...): not classified
  std::string first_error;     // the first such refusal
  bool complete = false;  // the SCAN cursor came back to 0 within the budget
  double seconds = 0;

  std::size_t findings() const;
};

// A key as a report shows it: printable ASCII as is, `\` and every other byte as `\xNN`, so
// keys of any bytes are valid UTF-8 text, JSON and Prometheus labels.
std::string printable_key(std::string_view key);

// Adds what was seen of one key to the report.
void record_key(const KeyClassifier& classifier, const KeyFacts& facts, AuditReport& report);

// prometheus: gauges in the Prometheus text format, for node_exporter's textfile collector or a
// scrape of a file a cron job writes (keyspace_audit_keys{template=...} and the findings).
enum class AuditFormat { text, json, markdown, prometheus };
std::string render_audit(const AuditReport& report, AuditFormat format);

struct AuditOptions {
  // Where: host, port or unix socket, user, password, database (keyspace::Options::from_url
  // reads the --redis URL); its key_prefix comes before the environment in the keys scanned.
  keyspace::Options server;
  std::string environment;
  // The budget bounds both the keys scanned and the work SCAN does: a run ends once it scanned
  // `budget` keys or asked SCAN for 2 * budget / count pages (with `MATCH`, pages may be empty).
  std::size_t budget = 100000;
  std::size_t count = 1000;         // SCAN COUNT
  std::size_t samples = 20;         // MEMORY USAGE samples per template
  double max_keys_per_second = 50000;  // keys SCAN walks (COUNT per page), not only those it returns
  std::chrono::milliseconds timeout{5000};  // to connect, and for each reply
};

// The server could not be reached or ended the run (lost connection, timeout, SCAN refused).
struct AuditUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Scans the server (SCAN MATCH "<key_prefix>:<environment>:*", glob characters escaped, never KEYS),
// pipelining TYPE, PTTL and sampled MEMORY USAGE per batch, sleeping to stay under the rate.
// A refusal for one key (NOPERM) counts it unreadable; anything else throws AuditUnavailable.
AuditReport audit_server(const Schema& schema, const AuditOptions& options);

}  // namespace keyspace::gen
