// A property of every key template of the example and test schemas, checked with the runtime
// that renders keys and the redis-server that stores them: random parameter tuples (bytes that
// escaping must handle, integers at their extremes, values equal to other templates' literals,
// values spelled from the parameter's pattern) give distinct keys for distinct tuples, and SCAN
// with a template's documented pattern finds every key of that template, and, when the pattern
// is documented as exact, no key of any other template.
//
// The templates come from `keyspace export` (KEYSPACE_BINARY) of each schema in
// KEYSPACE_PROPERTY_SCHEMAS; the keys are built with KeyBuilder the way generated accessors
// build them.

#include <cctype>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <nlohmann/json.hpp>

#include "keyspace/errors.hpp"
#include "keyspace/kinds/key_builder.hpp"
#include "keyspace_test/shared_redis.hpp"
#include "subprocess.hpp"

namespace {

using nlohmann::json;

constexpr int kTuplesPerTemplate = 300;
constexpr const char* kEnvironment = "prop";

struct Param {
  std::string name;
  std::string type;  // int64, uint64, string, or an enum type's name
  std::vector<std::string> enum_values;
  std::string pattern;
  std::size_t max_length = 0;
  std::unique_ptr<keyspace::StringRule> rule;
};

struct Template {
  std::string name;  // "<namespace>.<key>"
  std::string text;
  std::vector<json> segments;
  std::vector<std::shared_ptr<Param>> params;  // by segment order of first use
  std::string hash_tag;
  int version = 1;
  std::string scan_match;
  bool exact = false;
  keyspace::KeySpec spec{};
};

// A value of each string parameter drawn from its pattern, for the subset of RE2 syntax the
// schemas use (literals, classes with ranges, groups of one alternative, ?, *, +, {n}, {n,m});
// an empty result for anything else, and the runtime's rule decides in any case.
class PatternSampler {
 public:
  PatternSampler(const std::string& pattern, std::mt19937_64& rng) : p_(pattern), rng_(rng) {}

  std::string sample() {
    std::string out;
    while (i_ < p_.size() && ok_) {
      std::string alphabet = atom();
      std::size_t lo = 1, hi = 1;
      quantifier(lo, hi);
      const std::size_t n = std::uniform_int_distribution<std::size_t>(lo, hi)(rng_);
      for (std::size_t k = 0; k < n && !alphabet.empty(); ++k) {
        out += alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(rng_)];
      }
    }
    return ok_ ? out : std::string();
  }

 private:
  std::string atom() {
    const char c = p_[i_++];
    if (c == '[') return char_class();
    if (c == '\\' && i_ < p_.size()) {
      const char e = p_[i_++];
      if (e == 'd') return "0123456789";
      return std::string(1, e);
    }
    if (c == '.') return "abcXYZ09:%{}*? \\";
    if (c == '(' || c == ')' || c == '|' || c == '^' || c == '$') ok_ = false;
    return std::string(1, c);
  }

  std::string char_class() {
    std::string out;
    if (i_ < p_.size() && p_[i_] == '^') ok_ = false;
    while (i_ < p_.size() && p_[i_] != ']') {
      char c = p_[i_++];
      if (c == '\\' && i_ < p_.size()) c = p_[i_++];
      if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        const char end = p_[i_ + 1];
        i_ += 2;
        for (int x = c; x <= end; ++x) out += static_cast<char>(x);
      } else {
        out += c;
      }
    }
    ++i_;  // ']'
    return out;
  }

  void quantifier(std::size_t& lo, std::size_t& hi) {
    if (i_ >= p_.size()) return;
    const char c = p_[i_];
    if (c == '?') lo = 0, hi = 1;
    else if (c == '*') lo = 0, hi = 12;
    else if (c == '+') lo = 1, hi = 12;
    else if (c == '{') {
      const std::size_t close = p_.find('}', i_);
      const std::string body = p_.substr(i_ + 1, close - i_ - 1);
      const std::size_t comma = body.find(',');
      lo = std::stoul(body.substr(0, comma));
      hi = comma == std::string::npos ? lo : (comma + 1 < body.size() ? std::stoul(body.substr(comma + 1)) : lo + 12);
      i_ = close + 1;
      return;
    } else {
      return;
    }
    ++i_;
  }

  const std::string& p_;
  std::mt19937_64& rng_;
  std::size_t i_ = 0;
  bool ok_ = true;
};

std::vector<Template> templates_of(const std::string& schema_path, std::set<std::string>& literals) {
  const keyspace::test::ProcessOutput exported = keyspace::test::run({KEYSPACE_BINARY, "export", schema_path});
  if (exported.exit_code != 0) throw std::runtime_error("keyspace export " + schema_path + ": " + exported.output);
  const json schema = json::parse(exported.output.substr(exported.output.find('{')))["schema"];
  std::map<std::string, std::vector<std::string>> enums;
  for (const json& type : schema["types"]) {
    if (type["kind"] != "enum") continue;
    for (const json& v : type["values"]) enums[type["name"]].push_back(v["name"]);
  }
  std::vector<Template> out;
  for (const json& ns : schema["namespaces"]) {
    for (const json& key : ns["keys"]) {
      if (key["kind"] == "channel") continue;  // pub/sub names are not keys SCAN sees
      Template t;
      t.name = ns["name"].get<std::string>() + "." + key["name"].get<std::string>();
      t.text = key["template"]["text"];
      t.segments = key["template"]["segments"].get<std::vector<json>>();
      t.hash_tag = key["hash_tag"].is_null() ? "" : key["hash_tag"].get<std::string>();
      t.version = key["version"];
      t.scan_match = key["scan_pattern"]["match"];
      t.exact = key["scan_pattern"]["exact"];
      for (const json& seg : t.segments) {
        if (seg["type"] == "literal") literals.insert(seg["text"].get<std::string>());
      }
      for (const json& p : key["params"]) {
        auto param = std::make_shared<Param>();
        param->name = p["name"];
        param->type = p["type"];
        if (p["enum"].get<bool>()) param->enum_values = enums[param->type];
        param->pattern = p["pattern"].is_null() ? "" : p["pattern"].get<std::string>();
        param->max_length = p["max_length"].is_null() ? 0 : p["max_length"].get<std::size_t>();
        if (param->type == "string") {
          param->rule = std::make_unique<keyspace::StringRule>(param->name, param->pattern, param->max_length);
        }
        t.params.push_back(param);
      }
      out.push_back(std::move(t));
    }
  }
  for (Template& t : out) t.spec = keyspace::KeySpec{t.name, t.text, std::chrono::milliseconds(0)};
  return out;
}

// One parameter value, as text (integers in decimal, as the tuple is compared).
std::string random_value(const Param& p, const std::vector<std::string>& literals, std::mt19937_64& rng) {
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  if (p.type == "int64") {
    const std::int64_t extremes[] = {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), 0, -1, 1};
    if (pick(3) == 0) return std::to_string(extremes[pick(5)]);
    return std::to_string(static_cast<std::int64_t>(rng()) >> pick(63));
  }
  if (p.type == "uint64") {
    const std::uint64_t extremes[] = {0, 1, std::numeric_limits<std::uint64_t>::max()};
    if (pick(3) == 0) return std::to_string(extremes[pick(3)]);
    return std::to_string(rng() >> pick(64));
  }
  if (!p.enum_values.empty()) return p.enum_values[pick(p.enum_values.size())];
  switch (pick(4)) {
    case 0: return literals[pick(literals.size())];
    case 1: return literals[pick(literals.size())] + ":" + literals[pick(literals.size())];
    case 2: {
      if (!p.pattern.empty()) return PatternSampler(p.pattern, rng).sample();
      [[fallthrough]];
    }
    default: {
      // Bytes escaping must handle, mixed with plain ones and escape-like text.
      static const std::string tricky = std::string("%:{}*?[]\\ \t\r\n\x7f", 16) + std::string(1, '\0') + "\xff\xc3\xa9";
      std::string out;
      const std::size_t length = 1 + pick(24);
      for (std::size_t i = 0; i < length; ++i) {
        switch (pick(4)) {
          case 0: out += tricky[pick(tricky.size())]; break;
          case 1: out += "%3A"; break;
          case 2: out += static_cast<char>(pick(256)); break;
          default: out += static_cast<char>('a' + pick(26));
        }
      }
      return out;
    }
  }
}

// The key as a generated accessor renders it; nullopt when a value breaks its rule.
std::optional<std::string> render(const keyspace::Client& client, const Template& t,
                                  const std::map<std::string, std::string>& values) {
  keyspace::KeyBuilder b(client, t.spec);
  try {
    for (std::size_t i = 0; i < t.segments.size(); ++i) {
      const json& seg = t.segments[i];
      if (i > 0) b.literal(":");
      const std::string text = seg["text"];
      if (seg["type"] == "literal") {
        b.literal(text);
        continue;
      }
      const Param* p = nullptr;
      for (const auto& x : t.params) {
        if (x->name == text) p = x.get();
      }
      const std::string& v = values.at(text);
      if (text == t.hash_tag) b.literal("{");
      if (p->type == "int64") b.param(static_cast<std::int64_t>(std::stoll(v)));
      else if (p->type == "uint64") b.param(static_cast<std::uint64_t>(std::stoull(v)));
      else if (!p->enum_values.empty()) b.param_name(v);
      else b.param(v, *p->rule);
      if (text == t.hash_tag) b.literal("}");
    }
  } catch (const keyspace::InvalidKey&) {
    return std::nullopt;
  }
  if (t.version > 1) b.literal(":v" + std::to_string(t.version));
  return std::move(b).build();
}

struct RedisConnection {
  redisContext* c;
  explicit RedisConnection(const keyspace::Options& o) : c(redisConnect(o.host.c_str(), o.port)) {}
  ~RedisConnection() { redisFree(c); }
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  void pipeline_set(const std::vector<std::string>& keys) {
    for (const std::string& k : keys) {
      const char* argv[] = {"SET", k.data(), "1"};
      const std::size_t lens[] = {3, k.size(), 1};
      redisAppendCommandArgv(c, 3, argv, lens);
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
      void* reply = nullptr;
      ASSERT_EQ(redisGetReply(c, &reply), REDIS_OK);
      freeReplyObject(reply);
    }
  }

  std::set<std::string> scan(const std::string& match) {
    std::set<std::string> out;
    std::string cursor = "0";
    for (int round = 0; round < 100000; ++round) {
      const char* argv[] = {"SCAN", cursor.c_str(), "MATCH", match.c_str(), "COUNT", "1000"};
      const std::size_t lens[] = {4, cursor.size(), 5, match.size(), 5, 4};
      auto* r = static_cast<redisReply*>(redisCommandArgv(c, 6, argv, lens));
      if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2) throw std::runtime_error("SCAN failed");
      cursor.assign(r->element[0]->str, r->element[0]->len);
      for (std::size_t i = 0; i < r->element[1]->elements; ++i) {
        out.emplace(r->element[1]->element[i]->str, r->element[1]->element[i]->len);
      }
      freeReplyObject(r);
      if (cursor == "0") break;
    }
    return out;
  }
};

class KeyProperty : public keyspace::test::RedisTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(KeyProperty, DistinctTuplesGiveDistinctKeysThatOnlyTheirOwnScanPatternFinds) {
  std::set<std::string> literal_set;
  const std::vector<Template> templates = templates_of(GetParam(), literal_set);
  ASSERT_FALSE(templates.empty());
  const std::vector<std::string> literals(literal_set.begin(), literal_set.end());
  keyspace::Options options = keyspace::test::shared_redis().options();
  options.environment = kEnvironment;
  const keyspace::Client client(options);
  std::mt19937_64 rng(20261206);

  std::map<std::string, std::string> owner_of;               // key -> "template tuple"
  std::vector<std::set<std::string>> keys_of(templates.size());  // per template
  std::size_t rendered = 0, refused = 0;
  for (std::size_t t = 0; t < templates.size(); ++t) {
    for (int n = 0; n < kTuplesPerTemplate; ++n) {
      std::map<std::string, std::string> values;
      for (const auto& p : templates[t].params) values[p->name] = random_value(*p, literals, rng);
      const std::optional<std::string> key = render(client, templates[t], values);
      if (!key) {
        ++refused;
        continue;
      }
      ++rendered;
      std::ostringstream tuple;
      tuple << templates[t].name;
      for (const auto& [name, v] : values) tuple << ' ' << name << '=' << json(std::string(v)).dump(-1, ' ', true, json::error_handler_t::replace);
      const auto [it, inserted] = owner_of.emplace(*key, tuple.str());
      EXPECT_TRUE(inserted || it->second == tuple.str())
          << "two tuples render " << json(*key).dump(-1, ' ', true, json::error_handler_t::replace) << ": " << it->second
          << " and " << tuple.str();
      keys_of[t].insert(*key);
    }
    EXPECT_FALSE(keys_of[t].empty()) << templates[t].name << ": no tuple was accepted";
  }
  std::cout << "[ measured ] " << GetParam() << ": " << templates.size() << " templates, " << rendered
            << " keys rendered, " << refused << " tuples refused by their rules\n";

  RedisConnection redis(options);
  ASSERT_TRUE(redis.c && !redis.c->err);
  std::vector<std::string> all;
  for (const auto& [key, tuple] : owner_of) all.push_back(key);
  redis.pipeline_set(all);
  for (std::size_t t = 0; t < templates.size(); ++t) {
    const std::set<std::string> found = redis.scan(std::string(kEnvironment) + ":" + templates[t].scan_match);
    for (const std::string& key : keys_of[t]) {
      EXPECT_TRUE(found.count(key)) << templates[t].name << ": SCAN MATCH " << templates[t].scan_match << " misses "
                                    << json(key).dump(-1, ' ', true, json::error_handler_t::replace);
    }
    if (!templates[t].exact) continue;
    for (const std::string& key : found) {
      EXPECT_TRUE(keys_of[t].count(key)) << templates[t].name << ": exact pattern " << templates[t].scan_match
                                         << " also finds " << owner_of[key];
    }
  }
}

std::vector<std::string> schemas() {
  std::vector<std::string> out;
  std::istringstream list(KEYSPACE_PROPERTY_SCHEMAS);
  for (std::string path; std::getline(list, path, ';');) out.push_back(path);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Schemas, KeyProperty, ::testing::ValuesIn(schemas()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           // The file and its folder: "shop_keyspace", "schemas_all_kinds".
                           const std::size_t slash = info.param.find_last_of('/');
                           std::string name = info.param.substr(info.param.find_last_of('/', slash - 1) + 1);
                           name = name.substr(0, name.rfind('.'));
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
