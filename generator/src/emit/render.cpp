#include "emit/render.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "diag/printable.hpp"
#include "emit/resources.hpp"

namespace keyspace::gen {
namespace {

// Mustache's "standalone" rule: a line holding only a section tag ({{#x}}, {{^x}}, {{/x}}) or a
// comment renders as nothing. The mustache library applies it to rendered sections only and
// also swallows blank lines that follow a section tag, so templates are normalised first: a
// standalone tag loses its line break (joining the next line), and blank lines carry a marker
// byte, removed after rendering, that keeps them from looking standalone.
constexpr char kBlankLineMarker = '\x01';

std::string normalise_standalone_tags(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    const std::string_view line = text.substr(start, end - start);
    start = end;
    const std::size_t first = line.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
      out += kBlankLineMarker;
      out += line;
      continue;
    }
    const std::size_t last = line.find_last_not_of(" \t\r\n");
    const bool standalone = line.compare(first, 2, "{{") == 0 && first + 2 < line.size() &&
                            std::string_view("#^/!").find(line[first + 2]) != std::string_view::npos &&
                            line.find("}}") == last - 1 && line.find("{{", first + 2) == std::string_view::npos;
    out += standalone ? line.substr(first, last + 1 - first) : line;
  }
  return out;
}

// kainjow keeps a parsed template's component tree and an object's map private; an explicit
// instantiation may name a private member, so these hand out pointers to them (the tree is
// compacted after parsing, and put() moves values into the map).
using Component = mstch::component<std::string>;
using RootMember = Component mstch::mustache::*;
using ObjectMember = std::unique_ptr<mstch::object> mstch::data::*;
struct RootTag {};
struct ObjectTag {};
RootMember member_of(RootTag);
ObjectMember member_of(ObjectTag);
template <class Tag, auto Member>
struct PrivateMember {
  friend decltype(Member) member_of(Tag) { return Member; }
};
template struct PrivateMember<RootTag, &mstch::mustache::root_component_>;
template struct PrivateMember<ObjectTag, &mstch::data::obj_>;

// kainjow's parser makes every blank and every word between two blanks a component of its own,
// and rendering walks each through a std::function: a line of text cost a dozen calls. Runs of
// text without a line break render as the concatenation of their parts, so they are merged into
// one component (line breaks stay their own: they end the line the renderer buffers). With
// `unescaped`, `{{name}}` becomes `{{{name}}}`: the escape of a template rendered without one
// returns its argument, and calling it copied every value.
void compact(Component& parent, bool unescaped) {
  std::vector<Component> children;
  children.reserve(parent.children.size());
  for (Component& child : parent.children) {
    const bool joins = child.is_text() && !child.is_newline() && !children.empty() &&
                       children.back().is_text() && !children.back().is_newline();
    if (joins) {
      children.back().text += child.text;
      continue;
    }
    if (unescaped && child.tag.type == mstch::tag_type::variable) child.tag.type = mstch::tag_type::unescaped_variable;
    compact(child, unescaped);
    children.push_back(std::move(child));
  }
  parent.children = std::move(children);
}

// Each template is parsed once per process (and once more if it is also rendered without an
// escape): per-key templates are rendered thousands of times for a large schema, and parsing was
// most of the generator's time. The generator renders on one thread.
mstch::mustache& parsed(std::string_view template_path, bool unescaped) {
  static std::map<std::string, std::unique_ptr<mstch::mustache>, std::less<>> caches[2];
  auto& cache = caches[unescaped ? 1 : 0];
  auto it = cache.find(template_path);
  if (it == cache.end()) {
    auto tmpl = std::make_unique<mstch::mustache>(normalise_standalone_tags(resources().at(template_path)));
    if (!tmpl->is_valid()) throw std::logic_error(fmt::format("{}: {}", template_path, tmpl->error_message()));
    compact((*tmpl).*member_of(RootTag{}), unescaped);
    it = cache.emplace(std::string(template_path), std::move(tmpl)).first;
  }
  return *it->second;
}

// Appends rendered text without the blank-line markers, so the output is built in one string in
// one pass (rendering into a stream, copying its text out and then erasing the markers took
// three passes over an output of megabytes).
void append_without_markers(std::string& out, std::string_view part) {
  for (std::size_t start = 0; start < part.size();) {
    std::size_t marker = part.find(kBlankLineMarker, start);
    if (marker == std::string_view::npos) marker = part.size();
    out.append(part, start, marker - start);
    start = marker + 1;
  }
}

// The output stream kainjow's renderer writes to: one string, without the markers.
struct MarkerFreeText {
  std::string text;
  MarkerFreeText& operator<<(const std::string& part) {
    append_without_markers(text, part);
    return *this;
  }
};

// The template of `template_path`, set to escape with `escape` (a template rendered without one
// has no escaped variables left, see compact()).
mstch::mustache& with_escape(std::string_view template_path, const Escape& escape) {
  mstch::mustache& tmpl = parsed(template_path, !escape);
  if (escape) tmpl.set_custom_escape(escape);
  return tmpl;
}

}  // namespace

std::string render(std::string_view template_path, const mstch::data& view, const Escape& escape) {
  MarkerFreeText out;
  with_escape(template_path, escape).render(view, out);
  return std::move(out.text);
}

std::string render_nested(std::string_view template_path, const mstch::data& view,
                          const std::vector<const mstch::data*>& outer, const Escape& escape) {
  // kainjow's context looks names up from the last pushed view to the first.
  mstch::context<std::string> context;
  for (auto it = outer.rbegin(); it != outer.rend(); ++it) context.push(*it);
  context.push(&view);
  MarkerFreeText out;
  with_escape(template_path, escape).render(context, out);
  return std::move(out.text);
}

void put(mstch::data& view, const std::string& name, mstch::data value) {
  // view[name] would first make an empty object (a map) to assign over.
  (view.*member_of(ObjectTag{}))->insert_or_assign(name, std::move(value));
}

void put(mstch::data& view, const std::string& name, std::string text) {
  // kainjow makes string data only by copying a string. An empty string data is made instead
  // and the text is swapped in: string_value() is the data's own string, a non-const object
  // handed out as const, so writing to it through const_cast is defined.
  mstch::data value(mstch::data::type::string);
  const_cast<std::string&>(value.string_value()).swap(text);
  put(view, name, std::move(value));
}

void put(mstch::data& view, const std::string& name, const char* text) { put(view, name, mstch::data(text)); }

void put(mstch::data& view, const std::string& name, mstch::list items) {
  // As for text above, for a list (kainjow copies every item, recursively).
  mstch::data list(mstch::data::type::list);
  const_cast<mstch::list&>(list.list_value()).swap(items);
  put(view, name, std::move(list));
}

std::string comment_line(const std::string& text) { return printable(text); }

mstch::list doc_lines(const std::string& text) {
  mstch::list out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\\' || line.back() == ' ' || line.back() == '\r')) line.pop_back();
    line = comment_line(line);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

}  // namespace keyspace::gen
