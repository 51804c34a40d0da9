#include "emit/docs/emitter.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "emit/acl/acl.hpp"
#include "emit/cpp/operations.hpp"
#include "emit/render.hpp"
#include "model/duration.hpp"
#include "model/key_patterns.hpp"
#include "model/type_expr.hpp"

namespace keyspace::gen {
namespace {

// Markdown and HTML share one view: the few values that differ (links to types, code spans) are
// set twice, the HTML one under an `html_` name, and escaping is the renderer's.
enum class Format { markdown, html };

std::string escape_markdown(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";  // would end a table cell
    else if (c == '\n') out += ' ';  // would end a table row
    else if (c == '<') out += "&lt;";  // `list<string>` would read as an HTML tag
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else if (c == '\'') out += "&#39;";
    else out += c;
  }
  return out;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// index.md and types.md are taken; namespaces of those names get another page.
std::string namespace_page(const std::string& name) {
  return name == "index" || name == "types" ? "namespace-" + name + ".md" : name + ".md";
}

// Names of the language (lower_snake) need no escaping inside code.
std::string code_span(const std::string& text, Format format) {
  return format == Format::html ? "<code>" + text + "</code>" : "`" + text + "`";
}

std::string type_link(const std::string& name, Format format) {
  const std::string anchor = lower(name);
  if (format == Format::html) return fmt::format("<a href=\"#type-{}\">{}</a>", anchor, name);
  return fmt::format("[{}](types.md#{})", name, anchor);  // GitHub's anchor of the heading `### Name`
}

// A value type with each declared type linked to its definition, escaped for `format`.
std::string type_markup(const TypeRef& type, Format format) {
  switch (type.tag) {
    case TypeRef::Tag::named: return type_link(type.name, format);
    case TypeRef::Tag::list: return "list&lt;" + type_markup(type.args.at(0), format) + "&gt;";
    case TypeRef::Tag::map: return "map&lt;string," + type_markup(type.args.at(0), format) + "&gt;";
    default: return type_expr_text(type);
  }
}

// Sets `name` to its Markdown text and `html_<name>` to its HTML text.
template <class MakeText>
void set_both(mstch::data& view, const std::string& name, MakeText make_text) {
  view.set(name, make_text(Format::markdown));
  view.set("html_" + name, make_text(Format::html));
}

// Sets `name` and `has_<name>`. Sections test the flag: mustache treats an empty string as true,
// and a name missing from a nested view would resolve in the enclosing one.
void set_text(mstch::data& view, const std::string& name, const std::string& text) {
  view.set(name, text);
  view.set("has_" + name, !text.empty());
}

const char* access_text(Access access) {
  switch (access) {
    case Access::read_write: return "read/write";
    case Access::read: return "read";
    case Access::none: break;
  }
  return "";
}

// The widest access of `service` over the keys of `ns`.
Access namespace_access(const Namespace& ns, const std::string& service) {
  Access out = Access::none;
  for (const Key& key : ns.keys) out = std::max(out, access_of(key, service));
  return out;
}

std::string ttl_text(const Ttl& ttl) {
  if (ttl.value) return format_duration(*ttl.value);
  return ttl.persistent_reason.empty() ? "none" : "none: " + ttl.persistent_reason;
}

std::string ttl_max_text(const Key& key, const Namespace& ns, const Schema& schema) {
  std::vector<std::string> bounds;
  if (ns.ttl_max) bounds.push_back(format_duration(*ns.ttl_max) + " (namespace)");
  const auto policy = schema.kind_policies.find(key.kind);
  if (policy != schema.kind_policies.end() && policy->second.max_ttl) {
    bounds.push_back(fmt::format("{} (kind {})", format_duration(*policy->second.max_ttl), kind_name(key.kind)));
  }
  return bounds.empty() ? "—" : join(bounds, ", ");
}

// What the search box of the HTML page matches: key name, template and services.
std::string search_text(const Key& key) {
  std::vector<std::string> words{key.namespace_name + "." + key.name, key.key.text, key.owner};
  words.insert(words.end(), key.readers.begin(), key.readers.end());
  return lower(join(words, " "));
}

// `a`, `b`: operation names as Markdown code, "—" for none.
std::string code_list(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& name : names) quoted.push_back("`" + name + "`");
  return quoted.empty() ? "—" : join(quoted, ", ");
}

// What building the view needs beyond the schema: the SCAN exactness of every key, decided once.
struct DocsContext {
  const Schema& schema;
  ScanExactness exactness;
};

mstch::data key_view(const Key& key, const Namespace& ns, const DocsContext& context) {
  const Schema& schema = context.schema;
  mstch::data view;
  view.set("name", key.name);
  view.set("namespace", key.namespace_name);
  view.set("template", key.key.text);
  view.set("kind", kind_name(key.kind));
  set_both(view, "value", [&](Format format) { return key.value ? type_markup(*key.value, format) : "—"; });
  view.set("ttl", ttl_text(key.ttl));
  view.set("ttl_max", ttl_max_text(key, ns, schema));
  view.set("owner", key.owner.empty() ? "—" : key.owner);
  view.set("readers", key.readers.empty() ? "—" : join(key.readers, ", "));
  set_text(view, "description", key.description);
  set_text(view, "deprecated", key.deprecated.value_or(""));
  view.set("example", example_key(key, schema));
  view.set("pattern", scan_pattern(rendered_key_template(key)));
  const bool exact = context.exactness.is_exact(key);
  view.set("exact", exact ? "yes" : "no");
  view.set("is_exact", exact);
  view.set("search", search_text(key));
  view.set("reads", code_list(operation_names(key, OperationAccess::read)));
  view.set("writes", code_list(operation_names(key, OperationAccess::write)));
  return view;
}

// The keys that the namespace's kinds create beside the declared ones (see CompanionKey).
mstch::list companions_view(const Namespace& ns) {
  mstch::list out;
  for (const Key& key : ns.keys) {
    for (const CompanionKey& companion : companion_keys(key)) {
      mstch::data view;
      view.set("key", key.name);
      view.set("role", companion.role);
      view.set("template", companion.key.text);
      view.set("redis_type", companion.redis_type);
      view.set("pattern", scan_pattern(companion.key));
      out.push_back(std::move(view));
    }
  }
  return out;
}

mstch::data namespace_view(const Namespace& ns, const DocsContext& context) {
  mstch::list keys;
  keys.reserve(ns.keys.size());
  for (const Key& key : ns.keys) keys.push_back(key_view(key, ns, context));
  mstch::list companions = companions_view(ns);
  mstch::data view;
  view.set("name", ns.name);
  view.set("page", namespace_page(ns.name));
  set_text(view, "description", ns.description);
  view.set("owner", ns.owner.empty() ? "—" : ns.owner);
  view.set("readers", ns.readers.empty() ? "—" : join(ns.readers, ", "));
  view.set("ttl_default", ns.ttl_default ? format_duration(*ns.ttl_default) : "—");
  view.set("ttl_max", ns.ttl_max ? format_duration(*ns.ttl_max) : "—");
  view.set("key_count", std::to_string(ns.keys.size()));
  view.set("has_companions", !companions.empty());
  put(view, "keys", std::move(keys));
  put(view, "companions", std::move(companions));
  return view;
}

// The Redis ACL user of each service (`keyspace acl`, docs/acl.md) in the first environment,
// beside the matrix it enforces; a service whose grant cannot be exact has none (KS0701).
void acl_view(const Schema& schema, mstch::data& root) {
  AclOptions options;
  if (!schema.environments.empty()) options.environment = schema.environments.front();
  DiagnosticSink ignored;  // `keyspace acl` reports them
  mstch::list users;
  for (const AclUser& user : acl_users(schema, options, ignored)) {
    mstch::data view;
    view.set("service", user.service);
    view.set("line", render_acl({user}, AclFormat::acl_file));
    users.push_back(std::move(view));
  }
  root.set("has_acl_users", !users.empty());
  put(root, "acl_users", std::move(users));
}

// The services × namespaces matrix, and the same as edges for the Mermaid diagram.
void access_views(const Schema& schema, mstch::data& root) {
  mstch::list rows, edges, columns;
  // mstch::data moves are not noexcept, so a growing vector would copy its items: reserved.
  rows.reserve(schema.services.size());
  edges.reserve(schema.services.size() * schema.namespaces.size());
  columns.reserve(schema.namespaces.size());
  for (const Namespace& ns : schema.namespaces) columns.push_back(mstch::data("name", ns.name));
  for (const Service& service : schema.services) {
    mstch::list cells;
    cells.reserve(schema.namespaces.size());
    for (const Namespace& ns : schema.namespaces) {
      const Access access = namespace_access(ns, service.name);
      cells.push_back(mstch::data("access", access_text(access)));
      if (access == Access::none) continue;
      mstch::data edge;
      edge.set("service", service.name);
      edge.set("namespace", ns.name);
      edge.set("arrow", access == Access::read_write ? "-->" : "-.->");
      edge.set("access", access_text(access));
      edges.push_back(std::move(edge));
    }
    mstch::data row;
    row.set("name", service.name);
    set_text(row, "description", service.description);
    put(row, "cells", std::move(cells));
    rows.push_back(std::move(row));
  }
  root.set("has_services", !schema.services.empty());
  acl_view(schema, root);
  put(root, "columns", std::move(columns));
  put(root, "services", std::move(rows));
  put(root, "edges", std::move(edges));
}

mstch::data type_view(const TypeDef& type) {
  mstch::list fields;
  fields.reserve(type.fields.size());
  for (const Field& field : type.fields) {
    mstch::data view;
    view.set("name", field.name);
    set_both(view, "type", [&](Format format) { return type_markup(field.type, format); });
    view.set("optional", field.optional ? "yes" : "no");
    set_text(view, "description", field.description);
    fields.push_back(std::move(view));
  }
  auto values = [&](Format format) {
    std::vector<std::string> spans;
    for (const EnumValue& value : type.values) spans.push_back(code_span(value.name, format));
    return join(spans, ", ");
  };
  mstch::data view;
  view.set("name", type.name);
  view.set("anchor", lower(type.name));
  set_text(view, "description", type.description);
  put(view, "fields", std::move(fields));
  set_both(view, "values", values);
  return view;
}

mstch::data docs_view(const DocsContext& context, const std::string& schema_display_path) {
  const Schema& schema = context.schema;
  mstch::data root;
  root.set("version", KEYSPACE_VERSION);
  root.set("schema_file", schema_display_path);
  root.set("name", schema.name);
  set_text(root, "description", schema.description);
  if (!schema.environments.empty()) {
    set_both(root, "environments", [&](Format format) {
      std::vector<std::string> spans;
      for (const std::string& env : schema.environments) spans.push_back(code_span(env, format));
      return join(spans, ", ");
    });
  }
  if (!schema.environments.empty()) root.set("first_environment", schema.environments.front());
  mstch::list namespaces, structs, enums;
  namespaces.reserve(schema.namespaces.size());
  structs.reserve(schema.types.size());
  enums.reserve(schema.types.size());
  std::size_t key_count = 0;
  for (const Namespace& ns : schema.namespaces) {
    namespaces.push_back(namespace_view(ns, context));
    key_count += ns.keys.size();
  }
  for (const TypeDef& type : schema.types) (type.is_enum ? enums : structs).push_back(type_view(type));
  put(root, "namespaces", std::move(namespaces));
  root.set("key_count", std::to_string(key_count));
  root.set("has_types", !schema.types.empty());
  put(root, "structs", std::move(structs));
  put(root, "enums", std::move(enums));
  access_views(schema, root);
  return root;
}

}  // namespace

OutputSet emit_docs(const Schema& schema, const std::string& schema_display_path) {
  const DocsContext context{schema, ScanExactness(schema)};
  const mstch::data view = docs_view(context, schema_display_path);
  OutputSet out;
  out["index.md"] = render("templates/docs/index.md.mustache", view, escape_markdown);
  out["types.md"] = render("templates/docs/types.md.mustache", view, escape_markdown);
  // A namespace page renders the index's view of its namespace, with the page banner's names
  // looked up outside it, instead of building that view once more.
  mstch::data banner;
  banner.set("version", KEYSPACE_VERSION);
  banner.set("schema_file", schema_display_path);
  if (!schema.environments.empty()) banner.set("first_environment", schema.environments.front());
  const mstch::list& namespace_views = view.get("namespaces")->list_value();
  for (std::size_t i = 0; i < schema.namespaces.size(); ++i) {
    out[namespace_page(schema.namespaces[i].name)] =
        render_nested("templates/docs/namespace.md.mustache", namespace_views[i], {&banner}, escape_markdown);
  }
  out["index.html"] = render("templates/docs/index.html.mustache", view, escape_html);
  return out;
}

}  // namespace keyspace::gen
