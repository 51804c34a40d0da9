#include "emit/acl/acl.hpp"

#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "diag/codes.hpp"
#include "emit/acl/commands.hpp"
#include "emit/cpp/operations.hpp"
#include "model/key_patterns.hpp"

namespace keyspace::gen {
namespace {

// What one user is granted, gathered over the keys its service may use.
struct Grants {
  std::set<std::string> read_keys, write_keys;
  std::set<std::string> channels, subscribe_only_channels;
  std::set<std::string_view> commands;
};

// The environment variable whose value stands for a user's password hash: upper case, '-' as '_'.
std::string password_variable(const std::string& user) {
  std::string variable = "KEYSPACE_ACL_PASSWORD_SHA256_";
  for (char c : user) variable.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return variable;
}

// The password rule: never a password, but a placeholder where the deployment substitutes the
// SHA-256 of one (envsubst and the like). Left unsubstituted it is not 64 hex digits, so Redis
// refuses the rule (and the file) instead of accepting a password anyone can read here.
std::string password_rule(const std::string& user, bool nopass) {
  return nopass ? "nopass" : "#${" + password_variable(user) + "}";
}

void add_key(const Key& key, Access access, const std::string& prefix, Grants& grants) {
  const bool writes = access == Access::read_write || reads_write(key);
  std::vector<std::string> patterns = {prefix + scan_pattern(rendered_key_template(key))};
  for (const CompanionKey& companion : companion_keys(key)) patterns.push_back(prefix + scan_pattern(companion.key));
  for (const std::string& pattern : patterns) {
    if (key.kind == Kind::channel) {
      (access == Access::read_write ? grants.channels : grants.subscribe_only_channels).insert(pattern);
    } else {
      (writes ? grants.write_keys : grants.read_keys).insert(pattern);
    }
  }
  for (const Operation& op : operations_of(key.kind).operations) {
    if (op.declared_when != nullptr && !op.declared_when(key)) continue;
    if (op.access == OperationAccess::write && access != Access::read_write) continue;
    for (std::string_view command : operation_commands(key.kind, op.name)) grants.commands.insert(command);
  }
  // A sliding session's readers renew it, so they file it under its tags too.
  if (!key.tags.empty() && writes) {
    for (std::string_view command : tag_write_commands()) grants.commands.insert(command);
  }
}

std::vector<std::string> rules_of(const std::string& user, const Grants& grants, const AclOptions& options,
                                  const Service& service, DiagnosticSink& sink) {
  const bool v7 = options.redis_major >= 7;
  std::vector<std::string> rules = {"on", "resetpass", password_rule(user, options.nopass), "resetkeys", "resetchannels", "-@all"};
  // ACL SETUSER on an existing user keeps its selectors unless told otherwise.
  if (v7) rules.push_back("clearselectors");
  std::set<std::string_view> commands = grants.commands;
  for (std::string_view command : connection_commands()) commands.insert(command);
  for (std::string_view command : commands) rules.push_back("+" + std::string(command));
  for (const std::string& pattern : grants.write_keys) rules.push_back((v7 ? "%RW~" : "~") + pattern);
  for (const std::string& pattern : grants.read_keys) {
    if (grants.write_keys.count(pattern) == 0) rules.push_back((v7 ? "%R~" : "~") + pattern);
  }
  if (!v7 && !grants.read_keys.empty()) {
    sink.warning(code::kAclDegraded, service.loc,
                 fmt::format("Redis {}.{} has no read-only key permissions (%R~, Redis 7.0): user '{}' may also "
                             "write the {} key pattern(s) its service only reads",
                             options.redis_major, options.redis_minor, user, grants.read_keys.size()));
  }
  for (const std::string& pattern : grants.channels) rules.push_back("&" + pattern);
  std::vector<std::string> subscribe_only;
  for (const std::string& pattern : grants.subscribe_only_channels) {
    if (grants.channels.count(pattern) == 0) subscribe_only.push_back("&" + pattern);
  }
  if (subscribe_only.empty()) return rules;
  if (v7) {
    // A selector: these channels for SUBSCRIBE alone, so that the user cannot publish to them.
    std::string selector = "(";
    for (const std::string& channel : subscribe_only) selector += channel + " ";
    rules.push_back(selector + "+subscribe)");
  } else {
    rules.insert(rules.end(), subscribe_only.begin(), subscribe_only.end());
    sink.warning(code::kAclDegraded, service.loc,
                 fmt::format("Redis {}.{} has no selectors (Redis 7.0): user '{}' may also publish to the {} "
                             "channel pattern(s) its service only subscribes to",
                             options.redis_major, options.redis_minor, user, subscribe_only.size()));
  }
  return rules;
}

// How much a user is granted on a key's patterns: 0 nothing, 1 read, 2 read and write (for a
// channel: 1 subscribe, 2 publish too).
int grant_level(const Key& key, const std::string& service) {
  const Access access = access_of(key, service);
  if (access == Access::none) return 0;
  return access == Access::read_write || reads_write(key) ? 2 : 1;
}

// Each key pattern granted must match the keys of its key alone (its own template and its
// companions), or of keys granted as much anyway (keys sharing a tag set); otherwise the grant
// would reach other templates' keys, perhaps another owner's.
bool patterns_exact(const Schema& schema, const std::string& service, DiagnosticSink& sink) {
  const ScanExactness keys(schema), channels(schema, PatternSpace::channels);
  bool exact = true;
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) {
      const int level = grant_level(key, service);
      if (level == 0) continue;
      const ScanExactness& exactness = key.kind == Kind::channel ? channels : keys;
      const auto allowed = [&](const Key& other) { return grant_level(other, service) >= level; };
      std::vector<KeyTemplate> templates = {rendered_key_template(key)};
      for (CompanionKey& companion : companion_keys(key)) templates.push_back(std::move(companion.key));
      for (const KeyTemplate& t : templates) {
        if (exactness.matches_only(t, key, allowed)) continue;
        sink.error(code::kAclInexact, key.loc,
                   fmt::format("key '{}.{}' of service '{}' has no exact ACL pattern: '{}' also matches {} of "
                               "other templates, so granting it would grant those too; give one of them a "
                               "literal segment the other cannot take",
                               ns.name, key.name, service, scan_pattern(t),
                               key.kind == Kind::channel ? "channels" : "keys"));
        exact = false;
      }
    }
  }
  return exact;
}

}  // namespace

std::vector<AclUser> acl_users(const Schema& schema, const AclOptions& options, DiagnosticSink& sink) {
  std::vector<std::string> environments;
  if (options.environment) {
    environments.push_back(*options.environment);
  } else if (schema.environments.empty()) {
    environments.emplace_back();
  } else {
    environments = schema.environments;
  }
  std::vector<AclUser> users;
  std::map<std::string, std::string> variables;  // password variable -> user
  for (const Service& service : schema.services) {
    if (options.service && service.name != *options.service) continue;
    if (!patterns_exact(schema, service.name, sink)) continue;
    for (const std::string& environment : environments) {
      const std::string prefix = (options.key_prefix.empty() ? "" : glob_escape(options.key_prefix) + ":") +
                                 (environment.empty() ? "" : glob_escape(environment) + ":");
      Grants grants;
      for (const Namespace& ns : schema.namespaces) {
        for (const Key& key : ns.keys) {
          const Access access = access_of(key, service.name);
          if (access != Access::none) add_key(key, access, prefix, grants);
        }
      }
      AclUser user;
      user.name = environment.empty() ? service.name : service.name + "-" + environment;
      user.service = service.name;
      user.environment = environment;
      user.rules = rules_of(user.name, grants, options, service, sink);
      const auto [seen, fresh] = variables.emplace(password_variable(user.name), user.name);
      if (!fresh && !options.nopass) {
        sink.error(code::kAclPasswordClash, service.loc,
                   fmt::format("users '{}' and '{}' would share the password variable {}; rename one service",
                               seen->second, user.name, seen->first));
      }
      users.push_back(std::move(user));
    }
  }
  return users;
}

std::string render_acl(const std::vector<AclUser>& users, AclFormat format) {
  if (format == AclFormat::json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const AclUser& user : users) {
      out.push_back({{"user", user.name}, {"service", user.service}, {"environment", user.environment}, {"rules", user.rules}});
    }
    return out.dump(2) + "\n";
  }
  std::string text;
  for (const AclUser& user : users) {
    text += format == AclFormat::acl_file ? "user " : "ACL SETUSER ";
    text += user.name;
    for (const std::string& rule : user.rules) text += " " + rule;
    text += "\n";
  }
  return text;
}

}  // namespace keyspace::gen
