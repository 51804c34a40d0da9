#pragma once
// Redis ACL users from the schema (`keyspace acl`, docs/acl.md): one user per service and
// environment, granted what the service's generated view does and nothing else. Its keys are
// the Redis glob patterns of the key templates it reads (`%R~`) or owns (`%RW~`), companion keys
// included, with the environment prefix; its channels those of the channel keys it may use; its
// commands those its kinds' operations send (emit/acl/commands.hpp).

#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.hpp"
#include "model/model.hpp"

namespace keyspace::gen {

struct AclOptions {
  std::optional<std::string> service;      // only this service's users
  std::optional<std::string> environment;  // only this environment's users
  std::string key_prefix;                  // the clients' Options::key_prefix, before the environment
  int redis_major = 7;                     // 6: no %R~ key permissions and no selectors
  int redis_minor = 0;
  bool nopass = false;                     // `nopass` instead of a password placeholder
};

struct AclUser {
  std::string name;         // "<service>" or "<service>-<environment>"
  std::string service;
  std::string environment;  // empty when the schema declares none
  std::vector<std::string> rules;  // in the order ACL SETUSER applies them
};

// The users of `schema`; a grant that cannot be expressed exactly is an error in `sink` (and
// that user is left out), a degraded one (Redis 6.2) a warning.
std::vector<AclUser> acl_users(const Schema& schema, const AclOptions& options, DiagnosticSink& sink);

enum class AclFormat { acl_file, commands, json };

// acl_file: one `user` line each, loadable by redis-server's `aclfile`; commands: one
// `ACL SETUSER` line each; json: [{"user", "service", "environment", "rules": [...]}].
std::string render_acl(const std::vector<AclUser>& users, AclFormat format);

}  // namespace keyspace::gen
