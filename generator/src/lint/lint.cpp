#include "lint/lint.hpp"

#include <fmt/format.h>

#include "diag/codes.hpp"
#include "lint/collisions.hpp"
#include "lint/hygiene.hpp"
#include "lint/kinds.hpp"
#include "lint/policy.hpp"
#include "model/duration.hpp"

namespace keyspace::gen {
namespace {

void check_ttl_bounds(const Schema& schema, const Namespace& ns, const Key& key, DiagnosticSink& sink) {
  if (!key.ttl.value) return;
  if (ns.ttl_max && *key.ttl.value > *ns.ttl_max) {
    sink.error(code::kTtlAboveMax, key.ttl.loc,
               fmt::format("TTL {} of key '{}.{}' is above the namespace maximum {}", format_duration(*key.ttl.value),
                           ns.name, key.name, format_duration(*ns.ttl_max)),
               {{ns.ttl_max_loc, "maximum set here"}});
  }
  auto policy = schema.kind_policies.find(key.kind);
  if (policy != schema.kind_policies.end() && policy->second.max_ttl && *key.ttl.value > *policy->second.max_ttl) {
    sink.error(code::kTtlAboveMax, key.ttl.loc,
               fmt::format("TTL {} of key '{}.{}' is above the maximum {} for kind '{}'",
                           format_duration(*key.ttl.value), ns.name, key.name,
                           format_duration(*policy->second.max_ttl), kind_name(key.kind)),
               {{policy->second.loc, "maximum set here"}});
  }
}

}  // namespace

void check_structural_rules(const Schema& schema, DiagnosticSink& sink) {
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) {
      check_ttl_bounds(schema, ns, key, sink);
      check_kind_rules(key, sink);
    }
  }
  check_collisions(schema, sink);
  check_policy_rules(schema, sink);
  // Warnings about a schema with errors would mostly be knock-on effects of those errors (a type
  // looks unused because the key naming it was misspelt), so hygiene waits for a clean schema.
  if (!sink.has_errors()) check_hygiene(schema, sink);
}

}  // namespace keyspace::gen
