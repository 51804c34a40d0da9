// The ACL users of the shop example in a real redis-server: the file `keyspace acl` writes loads
// with `--aclfile`, and ACL DRYRUN, asked for each service's user about every command of every
// operation of every key (a matrix built from the model and the operation catalog, not written by
// hand), allows what the service's generated view may call and refuses what it may not.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include "emit/acl/acl.hpp"
#include "emit/acl/commands.hpp"
#include "emit/cpp/operations.hpp"
#include "keyspace_test/redis_server.hpp"
#include "pipeline.hpp"

namespace keyspace::gen {
namespace {

using Argv = std::vector<std::string>;

// A key of `t` with sample parameter values (which hold neither ':' nor glob characters).
std::string sample_key(const std::string& environment, const KeyTemplate& t) {
  std::string out = environment + ":";
  for (std::size_t i = 0; i < t.segments.size(); ++i) {
    if (i > 0) out += ':';
    out += t.segments[i].is_param ? "s" + std::to_string(i) : t.segments[i].text;
  }
  return out;
}

// The command `command` (an ACL name, "xgroup|create") on key `k`, with arguments of the right
// number: what ACL DRYRUN needs to check it.
Argv probe(std::string_view command, const std::string& k) {
  static const std::map<std::string_view, Argv> shapes = {
      {"get", {"GET", "K"}}, {"set", {"SET", "K", "v"}}, {"mget", {"MGET", "K"}}, {"del", {"DEL", "K"}},
      {"exists", {"EXISTS", "K"}}, {"pttl", {"PTTL", "K"}}, {"incrby", {"INCRBY", "K", "1"}}, {"incr", {"INCR", "K"}},
      {"publish", {"PUBLISH", "K", "m"}}, {"subscribe", {"SUBSCRIBE", "K"}}, {"hget", {"HGET", "K", "f"}},
      {"hset", {"HSET", "K", "f", "v"}}, {"hincrby", {"HINCRBY", "K", "f", "1"}}, {"hgetall", {"HGETALL", "K"}},
      {"hdel", {"HDEL", "K", "f"}}, {"hlen", {"HLEN", "K"}}, {"hmget", {"HMGET", "K", "f"}}, {"rpush", {"RPUSH", "K", "v"}},
      {"lpush", {"LPUSH", "K", "v"}}, {"ltrim", {"LTRIM", "K", "0", "1"}}, {"lpop", {"LPOP", "K"}}, {"rpop", {"RPOP", "K"}},
      {"lrange", {"LRANGE", "K", "0", "1"}}, {"llen", {"LLEN", "K"}}, {"lrem", {"LREM", "K", "1", "v"}},
      {"lmove", {"LMOVE", "K", "K", "LEFT", "RIGHT"}}, {"blmove", {"BLMOVE", "K", "K", "LEFT", "RIGHT", "0"}},
      {"time", {"TIME"}}, {"zadd", {"ZADD", "K", "1", "m"}}, {"zrem", {"ZREM", "K", "m"}}, {"zscore", {"ZSCORE", "K", "m"}},
      {"zcount", {"ZCOUNT", "K", "0", "1"}}, {"zcard", {"ZCARD", "K"}}, {"zrange", {"ZRANGE", "K", "0", "1"}},
      {"zrangebyscore", {"ZRANGEBYSCORE", "K", "0", "1"}}, {"zremrangebyscore", {"ZREMRANGEBYSCORE", "K", "0", "1"}},
      {"zincrby", {"ZINCRBY", "K", "1", "m"}}, {"zrank", {"ZRANK", "K", "m"}}, {"sadd", {"SADD", "K", "m"}},
      {"srem", {"SREM", "K", "m"}}, {"sismember", {"SISMEMBER", "K", "m"}}, {"smembers", {"SMEMBERS", "K"}},
      {"scard", {"SCARD", "K"}}, {"spop", {"SPOP", "K"}}, {"unlink", {"UNLINK", "K"}}, {"getex", {"GETEX", "K"}},
      {"type", {"TYPE", "K"}}, {"pexpire", {"PEXPIRE", "K", "1000"}}, {"xadd", {"XADD", "K", "*", "f", "v"}},
      {"xread", {"XREAD", "STREAMS", "K", "0"}}, {"xgroup|create", {"XGROUP", "CREATE", "K", "g", "$"}},
      {"xreadgroup", {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "K", ">"}}, {"xack", {"XACK", "K", "g", "0-1"}},
      {"xlen", {"XLEN", "K"}}, {"eval", {"EVAL", "return 1", "1", "K"}},
      {"evalsha", {"EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "1", "K"}},
      {"script|load", {"SCRIPT", "LOAD", "return 1"}}, {"ping", {"PING"}}, {"select", {"SELECT", "0"}}, {"info", {"INFO"}}, {"pfadd", {"PFADD", "K", "m"}}, {"pfcount", {"PFCOUNT", "K"}},
      {"pfmerge", {"PFMERGE", "K", "K"}}, {"scan", {"SCAN", "0"}},
      {"geoadd", {"GEOADD", "K", "13.4", "52.5", "m"}}, {"geopos", {"GEOPOS", "K", "m"}},
      {"geodist", {"GEODIST", "K", "m", "n"}}, {"geosearch", {"GEOSEARCH", "K", "FROMMEMBER", "m", "BYRADIUS", "1", "km"}},
  };
  Argv argv = shapes.at(command);
  for (std::string& arg : argv) {
    if (arg == "K") arg = k;
  }
  return argv;
}

bool has_key(const Argv& argv) {
  static const std::set<std::string> keyless = {"TIME", "PING", "SELECT", "SCRIPT", "INFO", "SCAN"};
  return keyless.count(argv[0]) == 0;
}

// The reply to `argv` as text: a string, status or error's text, or an integer's digits.
std::string reply_text(redisContext* c, const Argv& argv) {
  std::vector<const char*> args;
  std::vector<std::size_t> lengths;
  for (const std::string& a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(args.size()), args.data(), lengths.data()));
  if (reply == nullptr) return "no reply";
  std::string text = reply->str != nullptr ? std::string(reply->str, reply->len) : std::to_string(reply->integer);
  freeReplyObject(reply);
  return text;
}

// A schema's users in a real redis-server started with their ACL file.
class Deployment {
 public:
  explicit Deployment(const std::string& schema_file) : Deployment(load(schema_file)) {}
  explicit Deployment(Schema schema) : schema_(std::move(schema)) {
    DiagnosticSink sink;
    AclOptions options;
    options.nopass = true;
    users_ = acl_users(schema_, options, sink);
    EXPECT_FALSE(sink.has_errors());
    acl_file_ = std::filesystem::temp_directory_path() / ("keyspace-acl-" + std::to_string(::getpid()) + ".acl");
    std::ofstream(acl_file_) << render_acl(users_, AclFormat::acl_file);
    server_ = std::make_unique<test::RedisServer>(test::RedisServerConfig{"", false, {"--aclfile", acl_file_.string()}, {}});
    context_ = redisConnect(server_->host().c_str(), server_->port());
  }
  ~Deployment() {
    redisFree(context_);
    std::filesystem::remove(acl_file_);
  }

  static Schema load(const std::string& schema_file) {
    DiagnosticSink sink;
    return *load_schema(KEYSPACE_SOURCE_DIR "/" + schema_file, sink);
  }
  const Schema& schema() const { return schema_; }
  const std::vector<AclUser>& users() const { return users_; }
  const test::RedisServer& server() const { return *server_; }

  // ACL DRYRUN's answer: "OK", or the reason the command is refused.
  std::string dryrun(const std::string& user, const Argv& argv) {
    Argv command = {"ACL", "DRYRUN", user};
    command.insert(command.end(), argv.begin(), argv.end());
    return reply_text(context_, command);
  }

 private:
  Schema schema_;
  std::vector<AclUser> users_;
  std::filesystem::path acl_file_;
  std::unique_ptr<test::RedisServer> server_;
  redisContext* context_ = nullptr;
};

void expect_users_load_without_wildcards(Deployment& d) {
  const std::string list = d.server().cli({"ACL", "LIST"});
  for (const AclUser& user : d.users()) {
    EXPECT_NE(list.find("user " + user.name + " on"), std::string::npos) << user.name;
    for (const std::string& rule : user.rules) {
      EXPECT_NE(rule, "~*");
      EXPECT_NE(rule, "allkeys");
      EXPECT_NE(rule, "+@all");
    }
  }
}

// Every command of every operation the view has, on the key and on each of its companion keys
// (ACL DRYRUN does not look at types, so this checks the grant of every key an operation may
// touch); every keyed command of every operation on the keys of templates the service may not
// use; and writes (DEL, a script) on the keys it only reads.
void expect_views_and_nothing_else(Deployment& d) {
  int allowed = 0, refused = 0;
  for (const AclUser& user : d.users()) {
    for (const Namespace& ns : d.schema().namespaces) {
      for (const Key& key : ns.keys) {
        const Access access = access_of(key, user.service);
        std::vector<std::string> keys = {sample_key(user.environment, rendered_key_template(key))};
        for (const CompanionKey& c : companion_keys(key)) keys.push_back(sample_key(user.environment, c.key));
        const std::string where = user.name + " on " + ns.name + "." + key.name + ": ";
        for (const Operation& op : operations_of(key.kind).operations) {
          if (op.declared_when != nullptr && !op.declared_when(key)) continue;
          const bool in_view = op.access == OperationAccess::read ? access != Access::none : access == Access::read_write;
          for (std::string_view command : operation_commands(key.kind, op.name)) {
            for (const std::string& k : keys) {
              const Argv argv = probe(command, k);
              if (in_view) {
                EXPECT_EQ(d.dryrun(user.name, argv), "OK") << where << op.name << " sends " << argv[0] << " " << k;
                ++allowed;
              } else if ((access == Access::none || key.kind == Kind::channel) && has_key(argv)) {
                EXPECT_NE(d.dryrun(user.name, argv), "OK") << where << op.name << " sends " << argv[0] << " " << k;
                ++refused;
              }
            }
          }
        }
        if (key.kind == Kind::channel || access != Access::read || reads_write(key)) continue;
        for (const std::string& k : keys) {
          EXPECT_NE(d.dryrun(user.name, probe("del", k)), "OK") << where << k;
          EXPECT_NE(d.dryrun(user.name, probe("evalsha", k)), "OK") << where << k;
          refused += 2;
        }
      }
    }
  }
  std::printf("ACL matrix: %d commands allowed, %d refused, over %zu users\n", allowed, refused, d.users().size());
  EXPECT_GT(allowed, 0);
  EXPECT_GT(refused, 0);
}

TEST(AclMatrix, ShopUsersLoadAndNoneIsGrantedEveryKey) {
  Deployment shop("examples/shop/keyspace.yaml");
  expect_users_load_without_wildcards(shop);
}

TEST(AclMatrix, ShopServicesMayRunTheirViewsAndNothingOutsideThem) {
  Deployment shop("examples/shop/keyspace.yaml");
  expect_views_and_nothing_else(shop);
}

// A subscribe-only channel, read-only caches, readers of a rate limit and a sliding session.
TEST(AclMatrix, ReadersMaySubscribeButNotPublishAndReadButNotWrite) {
  Deployment grants("tests/acl/grants.yaml");
  expect_users_load_without_wildcards(grants);
  expect_views_and_nothing_else(grants);
  EXPECT_EQ(grants.dryrun("reader-test", {"SUBSCRIBE", "test:feed:news"}), "OK");
  EXPECT_NE(grants.dryrun("reader-test", {"PUBLISH", "test:feed:news", "m"}), "OK");
  EXPECT_EQ(grants.dryrun("writer-test", {"PUBLISH", "test:feed:news", "m"}), "OK");
  EXPECT_NE(grants.dryrun("reader-test", {"SUBSCRIBE", "test:feed:other"}), "OK");
}

// The language refuses glob characters in literal segments; should a later version allow them,
// they are escaped. A template with all of them (built here, past the loader) is granted its own
// keys only: Redis' matcher, asked about keys where each glob character is replaced by what it
// would match unescaped, refuses every one.
TEST(AclEscaping, GlobCharactersInLiteralSegmentsNeverWidenAGrant) {
  Schema schema = Deployment::load("tests/acl/grants.yaml");
  const std::string literal = "t*i?t[le]\\x";
  for (Namespace& ns : schema.namespaces) {
    for (Key& key : ns.keys) {
      if (key.name == "title") key.key.segments[1].text = literal;  // feed:<literal>:{id}
    }
  }
  Deployment d(std::move(schema));
  EXPECT_EQ(d.dryrun("writer-test", {"GET", "test:feed:" + literal + ":1"}), "OK");
  std::mt19937 random(5);
  const std::string alphabet = "abcilt*?[]\\-_x";
  int refused = 0;
  for (int i = 0; i < 300; ++i) {
    std::string widened;
    for (std::size_t at = 0; at < literal.size(); ++at) {
      const char c = literal[at];
      if (c == '*') {
        for (int n = static_cast<int>(random() % 3); n > 0; --n) widened += alphabet[random() % alphabet.size()];
      } else if (c == '?' || c == '\\') {
        widened += alphabet[random() % alphabet.size()];
      } else if (c == '[') {
        widened += literal[at + 1 + random() % 2];  // one of the class, as [le] would match
        at = literal.find(']', at);
      } else {
        widened += c;
      }
    }
    if (widened == literal) continue;
    EXPECT_NE(d.dryrun("writer-test", {"GET", "test:feed:" + widened + ":1"}), "OK") << widened;
    ++refused;
  }
  EXPECT_GT(refused, 250);
}

// The SHA-256 of `text` in hex, from coreutils' sha256sum (what a deployment script would use).
std::string sha256_hex(const std::string& text) {
  const std::filesystem::path input = std::filesystem::temp_directory_path() / ("keyspace-pw-" + std::to_string(::getpid()));
  std::ofstream(input) << text;
  FILE* pipe = ::popen(("sha256sum " + input.string()).c_str(), "r");
  char digest[65] = {};
  const std::size_t n = pipe != nullptr ? std::fread(digest, 1, 64, pipe) : 0;
  if (pipe != nullptr) ::pclose(pipe);
  std::filesystem::remove(input);
  EXPECT_EQ(n, 64u);
  return std::string(digest, n);
}

// `text` with each user's `${KEYSPACE_ACL_PASSWORD_SHA256_...}` replaced by the hash of
// "pw-<user>", as envsubst would with the deployment's variables.
std::string substitute_passwords(std::string text, const std::vector<AclUser>& users) {
  for (const AclUser& user : users) {
    std::string variable = "KEYSPACE_ACL_PASSWORD_SHA256_" + user.name;
    for (char& c : variable) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const std::string placeholder = "${" + variable + "}";
    for (std::size_t at; (at = text.find(placeholder)) != std::string::npos;) {
      text.replace(at, placeholder.size(), sha256_hex("pw-" + user.name));
    }
  }
  return text;
}

std::vector<AclUser> users_with_passwords() {
  DiagnosticSink sink;
  const std::vector<AclUser> users = acl_users(Deployment::load("tests/acl/grants.yaml"), {}, sink);
  EXPECT_FALSE(sink.has_errors());
  return users;
}


// The clients' Options::key_prefix comes before the environment in every grant.
TEST(AclMatrix, AKeyPrefixComesBeforeTheEnvironmentInEveryPattern) {
  DiagnosticSink sink;
  AclOptions options;
  options.key_prefix = "tenant-7";
  options.nopass = true;
  for (const AclUser& user : acl_users(Deployment::load("tests/acl/grants.yaml"), options, sink)) {
    for (const std::string& rule : user.rules) {
      const std::size_t pattern = rule.find_first_of("~&");
      if (pattern != std::string::npos && rule.front() != '(') {
        EXPECT_EQ(rule.compare(pattern + 1, 14, "tenant-7:test:"), 0) << rule;
      }
    }
  }
  EXPECT_FALSE(sink.has_errors());
}

// A placeholder nobody substituted is not a password anyone may use: redis-server refuses the file.
TEST(AclPasswords, AnUnsubstitutedPlaceholderFailsClosed) {
  const std::vector<AclUser> users = users_with_passwords();
  const std::filesystem::path file = std::filesystem::temp_directory_path() / ("keyspace-acl-in-" + std::to_string(::getpid()));
  std::ofstream(file) << render_acl(users, AclFormat::acl_file);
  EXPECT_THROW(test::RedisServer(test::RedisServerConfig{"", false, {"--aclfile", file.string()}, {}}), std::runtime_error);
  std::filesystem::remove(file);
}

TEST(AclPasswords, SubstitutedHashesLetEachUserAuthenticateWithItsPassword) {
  const std::vector<AclUser> users = users_with_passwords();
  const std::filesystem::path file = std::filesystem::temp_directory_path() / ("keyspace-acl-pw-" + std::to_string(::getpid()));
  std::ofstream(file) << substitute_passwords(render_acl(users, AclFormat::acl_file), users);
  test::RedisServer server(test::RedisServerConfig{"", false, {"--aclfile", file.string()}, {}});
  std::filesystem::remove(file);
  redisContext* c = redisConnect(server.host().c_str(), server.port());
  ASSERT_NE(c, nullptr);
  for (const AclUser& user : users) {
    EXPECT_EQ(reply_text(c, {"AUTH", user.name, "pw-" + user.name}), "OK") << user.name;
    EXPECT_NE(reply_text(c, {"AUTH", user.name, "pw-other"}), "OK") << user.name;
  }
  redisFree(c);
}

// ACL SETUSER changes an existing user: the `commands` lines start it from nothing, selectors
// included, so what an earlier grant gave does not survive a re-apply.
TEST(AclPasswords, CommandsLinesReplaceAnEarlierGrantSelectorsIncluded) {
  const std::vector<AclUser> users = users_with_passwords();
  test::RedisServer server;
  redisContext* c = redisConnect(server.host().c_str(), server.port());
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(reply_text(c, {"ACL", "SETUSER", "writer-test", "on", "nopass", "~*", "+@all", "(~other:* +get)"}), "OK");
  std::istringstream lines(substitute_passwords(render_acl(users, AclFormat::commands), users));
  for (std::string line; std::getline(lines, line);) {
    Argv argv;
    std::istringstream words(line);
    for (std::string word; words >> word;) argv.push_back(word);
    EXPECT_EQ(reply_text(c, argv), "OK") << line;
  }
  const std::string description = server.cli({"ACL", "GETUSER", "writer-test"});
  EXPECT_EQ(description.find("other:*"), std::string::npos) << description;
  EXPECT_NE(reply_text(c, {"ACL", "DRYRUN", "writer-test", "GET", "other:1"}), "OK");
  EXPECT_NE(reply_text(c, {"ACL", "DRYRUN", "writer-test", "FLUSHALL"}), "OK");
  redisFree(c);
}

}  // namespace
}  // namespace keyspace::gen
