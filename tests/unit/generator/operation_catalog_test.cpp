// The operation catalog (emit/cpp/operations.hpp) against what the templates really declare: every
// accessor rendered from the golden schemas is read back, and each operation it declares must be
// in the catalog with the access it has. A template that gains an operation without a catalog
// entry fails here, and so does a write operation a read-only view still declares: the check
// fails closed.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "emit/cpp/emitter.hpp"
#include "emit/cpp/operations.hpp"
#include "pipeline.hpp"

namespace keyspace::gen {
namespace {

const char* const kSchemas[] = {"tests/golden/schemas/all_kinds.yaml", "examples/shop/keyspace.yaml"};
constexpr const char* kProbe = "catalog_probe";  // a service added as a reader of every key

struct Declared {
  std::string name;
  bool stub = false;  // the read-only stub, which only fails to compile
};

// The accessors of a generated header by spec name ("ns.key"), each with the member functions
// its public section declares (`key` and the constructor left out), in order.
std::map<std::string, std::vector<Declared>> accessors_of(const std::string& header) {
  std::map<std::string, std::vector<Declared>> out;
  std::istringstream in(header);
  std::string line, spec;
  bool in_public = false;
  const std::string spec_prefix = "  static constexpr ::keyspace::KeySpec spec{\"";
  for (std::vector<Declared> declared; std::getline(in, line);) {
    if (line.rfind("class ", 0) == 0) {
      spec.clear();
      declared.clear();
      in_public = true;
      continue;
    }
    if (line == "};") {
      if (!spec.empty()) out[spec] = declared;
      spec.clear();
      in_public = false;
      continue;
    }
    if (line == " private:") in_public = false;
    if (!in_public) continue;
    if (line.rfind(spec_prefix, 0) == 0) {
      spec = line.substr(spec_prefix.size(), line.find('"', spec_prefix.size()) - spec_prefix.size());
      continue;
    }
    if (line.size() < 3 || line.compare(0, 2, "  ") != 0 || line[2] == ' ' || line[2] == '/') continue;
    const std::string declaration = line.substr(2);
    bool member_function = true;
    for (const char* other : {"using ", "static ", "explicit ", "friend ", "struct ", "template <", "}"}) {
      member_function = member_function && declaration.rfind(other, 0) != 0;
    }
    if (!member_function) continue;
    const std::size_t paren = line.find('(');
    if (paren == std::string::npos) continue;
    std::size_t start = paren;
    while (start > 0 && (std::isalnum(static_cast<unsigned char>(line[start - 1])) || line[start - 1] == '_')) --start;
    const std::string name = line.substr(start, paren - start);
    if (name == "key") continue;
    declared.push_back({name, line.find("(Args&&...) const {") != std::string::npos});
  }
  return out;
}

Schema load(const std::string& relative) {
  DiagnosticSink sink;
  std::optional<Schema> schema = load_schema(std::string(KEYSPACE_SOURCE_DIR) + "/" + relative, sink);
  EXPECT_TRUE(schema && !sink.has_errors()) << relative;
  return schema ? *schema : Schema{};
}

std::string header_of(const Schema& schema, const std::optional<std::string>& service) {
  const OutputSet out = emit_cpp(schema, EmitOptions{service, "schema.yaml"});
  return out.at(schema.name + "/keyspace.hpp");
}

std::map<std::string, const Key*> keys_by_spec(const Schema& schema) {
  std::map<std::string, const Key*> keys;
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) keys[ns.name + "." + key.name] = &key;
  }
  return keys;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(OperationCatalog, EveryDeclaredOperationIsInTheCatalogWithItsAccess) {
  for (const char* path : kSchemas) {
    const Schema schema = load(path);
    const std::map<std::string, std::vector<Declared>> accessors = accessors_of(header_of(schema, std::nullopt));
    ASSERT_FALSE(accessors.empty()) << path;
    for (const auto& [spec, key] : keys_by_spec(schema)) {
      const auto accessor = accessors.find(spec);
      ASSERT_NE(accessor, accessors.end()) << spec << " of " << path << " was not found in the header";
      const std::vector<std::string> reads = operation_names(*key, OperationAccess::read);
      const std::vector<std::string> writes = operation_names(*key, OperationAccess::write);
      std::set<std::string> seen;
      for (const Declared& op : accessor->second) {
        // The one stub of a full view: delete_all where the template's SCAN pattern is not exact.
        EXPECT_TRUE(!op.stub || op.name == "delete_all") << spec << " " << op.name;
        EXPECT_TRUE(contains(reads, op.name) || contains(writes, op.name))
            << spec << " (kind " << kind_name(key->kind) << ") declares '" << op.name
            << "', which emit/cpp/operations.cpp does not list: add it as a read or a write operation";
        seen.insert(op.name);
      }
      for (const std::vector<std::string>* names : {&reads, &writes}) {
        for (const std::string& name : *names) {
          EXPECT_TRUE(seen.count(name)) << spec << ": the catalog lists '" << name << "', which the accessor does not declare";
        }
      }
    }
  }
}

TEST(OperationCatalog, AReadOnlyViewDeclaresNoWriteOperationOnlyItsStub) {
  for (const char* path : kSchemas) {
    Schema schema = load(path);
    schema.services.push_back(Service{kProbe, "", {}});
    for (Namespace& ns : schema.namespaces) {
      for (Key& key : ns.keys) key.readers.push_back(kProbe);
    }
    const std::string header = header_of(schema, std::string(kProbe));
    const std::map<std::string, std::vector<Declared>> accessors = accessors_of(header);
    for (const auto& [spec, key] : keys_by_spec(schema)) {
      const auto accessor = accessors.find(spec);
      ASSERT_NE(accessor, accessors.end()) << spec << " of " << path;
      const std::vector<std::string> reads = operation_names(*key, OperationAccess::read);
      const std::vector<std::string> writes = operation_names(*key, OperationAccess::write);
      std::set<std::string> stubs;
      for (const Declared& op : accessor->second) {
        if (op.stub) {
          EXPECT_TRUE(contains(writes, op.name)) << spec << ": stub '" << op.name << "' is not a write operation";
          stubs.insert(op.name);
        } else {
          EXPECT_TRUE(contains(reads, op.name)) << spec << ": a reader can call '" << op.name << "'";
        }
      }
      for (const std::string& name : writes) EXPECT_TRUE(stubs.count(name)) << spec << ": no stub for '" << name << "'";
    }
    // The namespace functions that invalidate cache tags delete entries: a reader has stubs only.
    std::istringstream in(header);
    for (std::string line; std::getline(in, line);) {
      if (line.find(" invalidate_") == std::string::npos || line.find('(') == std::string::npos) continue;
      if (line.rfind("  //", 0) == 0 || line.rfind("   ", 0) == 0) continue;  // comments, bodies
      EXPECT_NE(line.find("(Args&&...) const {"), std::string::npos) << "a reader can call: " << line;
    }
  }
}

// The model's takes_ttl_override (what the audit allows a key's TTL) agrees with the catalog.
TEST(OperationCatalog, TheKindsTakingATtlOverrideAreThoseWithATtlArgument) {
  for (int k = 0; k <= static_cast<int>(Kind::channel); ++k) {
    const Kind kind = static_cast<Kind>(k);
    bool has_argument = false;
    for (const Operation& op : operations_of(kind).operations) {
      for (std::string_view argument : op.arguments) has_argument = has_argument || argument == "ttl_override";
    }
    EXPECT_EQ(takes_ttl_override(kind), has_argument) << kind_name(kind);
  }
}

TEST(OperationCatalog, ReservedParameterNamesAreTheArgumentsAndBodyNames) {
  const std::vector<std::string_view> cache = reserved_parameter_names(Kind::cache);
  for (const char* name : {"value", "loader", "policy", "tag_keys"}) {
    EXPECT_NE(std::find(cache.begin(), cache.end(), name), cache.end()) << name;
  }
  EXPECT_EQ(reserved_parameter_names(Kind::flag), (std::vector<std::string_view>{"progress", "ttl_override"}));
}

}  // namespace
}  // namespace keyspace::gen
