#include "emit/render.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
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
// The markers are bytes that UTF-8 never holds, so no value from a schema (UTF-8, KS0002) has one.
constexpr char kBlankLineMarker = '\xFE';

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

// kainjow's parser makes every blank and every word between two blanks a component of its own,
// and rendering walks each through a std::function: a line of text cost a dozen calls. So the
// blanks of the template's own text (outside tags) are given to the parser as a marker byte,
// turned back into blanks as the output is written: a run of text without a line break is one
// word, one component. With `unescaped`, `{{name}}` becomes `{{{name}}}`: the escape of a
// template rendered without one would return its argument, and calling it copied every value.
constexpr char kBlankMarker = '\xFF';

std::string protect_text(std::string_view text, bool unescaped) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find("{{", at);
    const std::string_view plain = text.substr(at, open == std::string_view::npos ? std::string_view::npos : open - at);
    for (char c : plain) out += c == ' ' ? kBlankMarker : c;
    if (open == std::string_view::npos) break;
    const bool triple = text.compare(open, 3, "{{{") == 0;
    const std::size_t close = text.find(triple ? "}}}" : "}}", open);
    if (close == std::string_view::npos) {  // unterminated: the parser reports it
      out.append(text.substr(open));
      break;
    }
    const std::size_t end = close + (triple ? 3 : 2);
    const std::string_view tag = text.substr(open, end - open);
    const bool variable = !triple && std::string_view("#^/!>=&{").find(tag[2]) == std::string_view::npos;
    if (unescaped && variable) {
      out += '{';
      out.append(tag);
      out += '}';
    } else {
      out.append(tag);
    }
    at = end;
  }
  return out;
}

// The names a template uses as variables and never as a section: a view without one of them is
// an emitter bug (the text would silently be empty), while a missing section is just false.
std::set<std::string, std::less<>> required_names(std::string_view text) {
  std::set<std::string, std::less<>> variables, sections;
  for (std::size_t open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open + 2)) {
    std::size_t start = open + 2;
    const char sigil = start < text.size() ? text[start] : '\0';
    const bool section = sigil == '#' || sigil == '^';
    if (section || sigil == '{' || sigil == '&') ++start;
    else if (sigil == '/' || sigil == '!' || sigil == '>' || sigil == '=') continue;
    const std::size_t close = text.find("}}", start);
    if (close == std::string_view::npos) break;
    std::string_view name = text.substr(start, close - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty() || name == ".") continue;
    (section ? sections : variables).emplace(name);
  }
  for (const std::string& name : sections) variables.erase(name);
  return variables;
}

struct ParsedTemplate {
  std::unique_ptr<mstch::mustache> mustache;
  std::set<std::string, std::less<>> required;
};

// Each template is parsed once per process (and once more if it is also rendered without an
// escape): per-key templates are rendered thousands of times for a large schema, and parsing was
// most of the generator's time. The generator renders on one thread.
ParsedTemplate& parsed(std::string_view template_path, bool unescaped) {
  static std::map<std::string, ParsedTemplate, std::less<>> caches[2];
  auto& cache = caches[unescaped ? 1 : 0];
  auto it = cache.find(template_path);
  if (it == cache.end()) {
    const std::string_view text = resources().at(template_path);
    auto tmpl = std::make_unique<mstch::mustache>(protect_text(normalise_standalone_tags(text), unescaped));
    if (!tmpl->is_valid()) throw std::logic_error(fmt::format("{}: {}", template_path, tmpl->error_message()));
    it = cache.emplace(std::string(template_path), ParsedTemplate{std::move(tmpl), required_names(text)}).first;
  }
  return it->second;
}

// kainjow's lookup (innermost view first), except that a required name no view has is an error
// naming the template instead of empty output.
class StrictContext : public mstch::basic_context<std::string> {
 public:
  StrictContext(std::string_view template_path, const std::set<std::string, std::less<>>& required)
      : template_path_(template_path), required_(required) {}
  void push(const mstch::data* data) override { views_.push(data); }
  void pop() override { views_.pop(); }
  const mstch::data* get(const std::string& name) const override {
    const mstch::data* value = views_.get(name);
    if (!value && required_.count(name) != 0) {
      throw std::logic_error(fmt::format("{}: the view has no value for {{{{{}}}}}", template_path_, name));
    }
    return value;
  }
  const mstch::data* get_partial(const std::string& name) const override { return views_.get_partial(name); }

 private:
  std::string_view template_path_;
  const std::set<std::string, std::less<>>& required_;
  mstch::context<std::string> views_;
};

// Appends rendered text without the blank-line markers and with blanks for the blank markers, so
// the output is built in one string in one pass (rendering into a stream, copying its text out
// and then erasing the markers took three passes over an output of megabytes).
void append_without_markers(std::string& out, std::string_view part) {
  out.reserve(out.size() + part.size());
  for (char c : part) {
    if (c == kBlankMarker) out += ' ';
    else if (c != kBlankLineMarker) out += c;
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

}  // namespace

std::string render(std::string_view template_path, const mstch::data& view, const Escape& escape) {
  return render_nested(template_path, view, {}, escape);
}

std::string render_nested(std::string_view template_path, const mstch::data& view,
                          const std::vector<const mstch::data*>& outer, const Escape& escape) {
  // A template rendered without an escape has no escaped variables left (see protect_text()).
  ParsedTemplate& tmpl = parsed(template_path, !escape);
  if (escape) tmpl.mustache->set_custom_escape(escape);
  // kainjow's context looks names up from the last pushed view to the first.
  StrictContext context(template_path, tmpl.required);
  for (auto it = outer.rbegin(); it != outer.rend(); ++it) context.push(*it);
  context.push(&view);
  MarkerFreeText out;
  tmpl.mustache->render(context, out);
  return std::move(out.text);
}

void put(mstch::data& view, const std::string& name, mstch::data value) { view[name] = std::move(value); }

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
