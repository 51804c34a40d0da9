#include "tools/audit.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace keyspace::gen {
namespace {

constexpr std::size_t kExamples = 5;

std::string type_of(const Key& key) {
  switch (key.kind) {
    case Kind::hash: return "hash";
    case Kind::set: return "set";
    case Kind::sorted_set:
    case Kind::presence:
    case Kind::geo: return "zset";
    case Kind::list:
    case Kind::queue: return "list";
    case Kind::stream: return "stream";
    case Kind::session: return key.index ? "hash" : "string";
    case Kind::rate_limit:
      if (key.limit && key.limit->algorithm == RateLimitAlgorithm::sliding_window) return "zset";
      if (key.limit && key.limit->algorithm == RateLimitAlgorithm::token_bucket) return "hash";
      return "string";
    default: return "string";
  }
}

std::vector<std::string_view> split(std::string_view key) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t colon = key.find(':', start);
    out.push_back(key.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) return out;
    start = colon + 1;
  }
}

bool matches(const AuditTemplate& t, const std::vector<std::string_view>& parts) {
  if (parts.size() != t.segments.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (t.segments[i].is_param ? parts[i].empty() : parts[i] != t.segments[i].text) return false;
  }
  return true;
}

// How specific a template is: its literal segments. A key two templates render goes to the
// more specific one (`cache:{id}:_fill` rather than `cache:{id}:{part}`).
std::size_t literals(const AuditTemplate& t) {
  return static_cast<std::size_t>(std::count_if(t.segments.begin(), t.segments.end(), [](const Segment& s) { return !s.is_param; }));
}

void note_example(std::vector<std::string>& examples, const std::string& key) {
  if (examples.size() < kExamples) examples.push_back(printable_key(key));
}

// The longest TTL a key may have by the schema (see AuditTemplate::longest_ttl).
std::optional<Millis> longest_ttl(const Key& key, const Schema& schema) {
  if (!takes_ttl_override(key.kind)) {
    if (key.ttl.value && key.stale) return *key.ttl.value + *key.stale;  // a cache entry kept stale
    return key.ttl.value;
  }
  const std::optional<Millis> most = max_ttl(key, schema);
  if (!most) return std::nullopt;
  return std::max(*most, key.ttl.value.value_or(Millis(0)));
}

}  // namespace

KeyClassifier::KeyClassifier(const Schema& schema, const std::string& environment, const std::string& key_prefix)
    : prefix_((key_prefix.empty() ? "" : key_prefix + ":") + (environment.empty() ? "" : environment + ":")) {
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) {
      if (key.kind == Kind::channel) continue;
      const KeyTemplate rendered = rendered_key_template(key);
      const bool expires = !key.ttl.persistent && key.ttl.value.has_value();
      const std::optional<Millis> longest = expires ? longest_ttl(key, schema) : std::nullopt;
      templates_.push_back({ns.name + "." + key.name, rendered.text, type_of(key), expires, longest, rendered.segments});
      for (const CompanionKey& c : companion_keys(key)) {
        std::optional<Millis> companion_ttl = longest;
        if (companion_ttl && c.role == "fencing counter") companion_ttl = std::max(*companion_ttl, Millis(24LL * 3600 * 1000));
        templates_.push_back({ns.name + "." + key.name + " (" + c.role + ")", c.key.text, c.redis_type, expires,
                              companion_ttl, c.key.segments});
      }
    }
  }
}

std::optional<std::size_t> KeyClassifier::classify(std::string_view key) const {
  if (key.substr(0, prefix_.size()) != prefix_) return std::nullopt;
  const std::vector<std::string_view> parts = split(key.substr(prefix_.size()));
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < templates_.size(); ++i) {
    if (matches(templates_[i], parts) && (!best || literals(templates_[i]) > literals(templates_[*best]))) best = i;
  }
  return best;
}

std::string printable_key(std::string_view key) {
  std::string out;
  for (const char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '\\') {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", byte);
    }
  }
  return out;
}

std::size_t AuditReport::findings() const {
  std::size_t n = 0;
  for (const TemplateReport& t : per_template) n += t.without_ttl + t.ttl_above_schema + t.wrong_type;
  for (const auto& [prefix, count] : unexplained) n += count;
  return n;
}

void record_key(const KeyClassifier& classifier, const KeyFacts& facts, AuditReport& report) {
  ++report.scanned;
  if (facts.pttl == -2) return;  // expired or deleted between SCAN and TYPE
  const std::optional<std::size_t> index = classifier.classify(facts.key);
  if (!index) {
    const std::vector<std::string_view> parts = split(facts.key);
    std::string prefix = printable_key(parts[0]);
    if (parts.size() > 1) prefix += ":" + printable_key(parts[1]);
    if (report.unexplained.size() >= kMaxBeginnings && report.unexplained.count(prefix) == 0) prefix = kOtherBeginnings;
    ++report.unexplained[prefix];
    note_example(report.unexplained_examples, facts.key);
    return;
  }
  const AuditTemplate& t = classifier.templates()[*index];
  TemplateReport& r = report.per_template[*index];
  ++r.keys;
  bool finding = false;
  if (facts.type != t.redis_type) {
    ++r.wrong_type;
    finding = true;
  } else if (t.expires && facts.pttl == -1) {
    ++r.without_ttl;
    finding = true;
  } else if (t.longest_ttl && facts.pttl > t.longest_ttl->count()) {
    ++r.ttl_above_schema;
    finding = true;
  }
  if (finding) note_example(r.examples, facts.key);
  if (facts.memory) {
    ++r.memory_samples;
    r.memory_sampled += *facts.memory;
  }
}

namespace {

// Label values escaped as the Prometheus text format wants them.
std::string label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

std::string render_prometheus(const AuditReport& report) {
  std::string out;
  const auto gauge = [&](const char* name, const char* help, auto value_of) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
    for (std::size_t i = 0; i < report.templates.size(); ++i) {
      out += fmt::format("{}{{template=\"{}\",name=\"{}\"}} {}\n", name, label(report.templates[i].key_template),
                         label(report.templates[i].name), value_of(report.per_template[i]));
    }
  };
  gauge("keyspace_audit_keys", "Keys of each template in the last audit.", [](const TemplateReport& r) { return r.keys; });
  gauge("keyspace_audit_keys_without_ttl", "Keys without the TTL the schema gives them.",
        [](const TemplateReport& r) { return r.without_ttl; });
  gauge("keyspace_audit_keys_ttl_above_schema", "Keys whose TTL is above the schema's.",
        [](const TemplateReport& r) { return r.ttl_above_schema; });
  gauge("keyspace_audit_keys_wrong_type", "Keys of another Redis type than the schema's.",
        [](const TemplateReport& r) { return r.wrong_type; });
  gauge("keyspace_audit_sampled_bytes", "Average MEMORY USAGE of the sampled keys of each template.",
        [](const TemplateReport& r) { return r.memory_samples == 0 ? 0 : r.memory_sampled / static_cast<std::int64_t>(r.memory_samples); });
  out += "# HELP keyspace_audit_unexplained_keys Keys no template explains, by their beginning.\n"
         "# TYPE keyspace_audit_unexplained_keys gauge\n";
  for (const auto& [prefix, count] : report.unexplained) {
    out += fmt::format("keyspace_audit_unexplained_keys{{prefix=\"{}\"}} {}\n", label(prefix), count);
  }
  out += fmt::format("# HELP keyspace_audit_scanned_keys Keys the last audit scanned.\n"
                     "# TYPE keyspace_audit_scanned_keys gauge\nkeyspace_audit_scanned_keys {}\n"
                     "# HELP keyspace_audit_unreadable_keys Keys whose TYPE or PTTL the server refused.\n"
                     "# TYPE keyspace_audit_unreadable_keys gauge\nkeyspace_audit_unreadable_keys {}\n",
                     report.scanned, report.unreadable);
  return out;
}

}  // namespace

std::string render_audit(const AuditReport& report, AuditFormat format) {
  if (format == AuditFormat::prometheus) return render_prometheus(report);
  if (format == AuditFormat::json) {
    nlohmann::ordered_json templates = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < report.templates.size(); ++i) {
      const AuditTemplate& t = report.templates[i];
      const TemplateReport& r = report.per_template[i];
      templates.push_back({{"name", t.name},
                           {"template", t.key_template},
                           {"type", t.redis_type},
                           {"keys", r.keys},
                           {"without_ttl", r.without_ttl},
                           {"ttl_above_schema", r.ttl_above_schema},
                           {"wrong_type", r.wrong_type},
                           {"memory_samples", r.memory_samples},
                           {"memory_sampled_bytes", r.memory_sampled},
                           {"examples", r.examples}});
    }
    nlohmann::ordered_json out = {{"environment", report.environment},
                                  {"scanned", report.scanned},
                                  {"complete", report.complete},
                                  {"seconds", report.seconds},
                                  {"findings", report.findings()},
                                  {"unreadable", report.unreadable},
                                  {"first_error", report.first_error},
                                  {"templates", templates},
                                  {"unexplained", report.unexplained},
                                  {"unexplained_examples", report.unexplained_examples}};
    // Keys are printable already (printable_key); an error text from the server may not be.
    return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }
  const bool md = format == AuditFormat::markdown;
  std::string out = md ? "# Keyspace audit\n\n" : "";
  out += fmt::format("{} keys scanned{} in {:.2f} s ({:.0f} keys/s){}; {} finding(s)\n", report.scanned,
                     report.environment.empty() ? "" : " under '" + report.environment + ":'", report.seconds,
                     report.seconds > 0 ? static_cast<double>(report.scanned) / report.seconds : 0.0,
                     report.complete ? "" : ", budget reached before the end of the keyspace", report.findings());
  if (report.unreadable > 0) {
    out += fmt::format("{}{} key(s) could not be read ({}): not classified\n", md ? "\n" : "", report.unreadable,
                       printable_key(report.first_error));
  }
  out += md ? "\n| template | keys | no TTL | TTL above schema | wrong type | avg bytes (sampled) |\n|---|---|---|---|---|---|\n"
            : "\n";
  for (std::size_t i = 0; i < report.templates.size(); ++i) {
    const AuditTemplate& t = report.templates[i];
    const TemplateReport& r = report.per_template[i];
    if (r.keys == 0) continue;
    const std::string bytes = r.memory_samples == 0 ? "-" : std::to_string(r.memory_sampled / static_cast<std::int64_t>(r.memory_samples));
    out += md ? fmt::format("| `{}` {} | {} | {} | {} | {} | {} |\n", t.key_template, t.name, r.keys, r.without_ttl,
                            r.ttl_above_schema, r.wrong_type, bytes)
              : fmt::format("{:<40} {:>8} keys  no TTL {:>6}  TTL above schema {:>6}  wrong type {:>6}  ~{} bytes\n",
                            t.name, r.keys, r.without_ttl, r.ttl_above_schema, r.wrong_type, bytes);
    for (const std::string& key : r.examples) out += fmt::format(md ? "|  ↳ `{}` | | | | | |\n" : "    e.g. {}\n", key);
  }
  if (!report.unexplained.empty()) {
    out += md ? "\n## Keys no template explains\n\n| beginning | keys |\n|---|---|\n" : "\nKeys no template explains:\n";
    for (const auto& [prefix, count] : report.unexplained) {
      out += fmt::format(md ? "| `{}` | {} |\n" : "  {:<40} {:>8} keys\n", prefix, count);
    }
  }
  return out;
}

}  // namespace keyspace::gen
