#include "mustache_render.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "resources.hpp"

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

// Each template is parsed once per process: per-key templates are rendered thousands of times
// for a large schema, and parsing was most of the generator's time. The generator renders on one
// thread.
mstch::mustache& parsed(std::string_view template_path) {
  static std::map<std::string, std::unique_ptr<mstch::mustache>, std::less<>> cache;
  auto it = cache.find(template_path);
  if (it == cache.end()) {
    auto tmpl = std::make_unique<mstch::mustache>(normalise_standalone_tags(resources().at(template_path)));
    if (!tmpl->is_valid()) throw std::logic_error(fmt::format("{}: {}", template_path, tmpl->error_message()));
    it = cache.emplace(std::string(template_path), std::move(tmpl)).first;
  }
  return *it->second;
}

}  // namespace

std::string render(std::string_view template_path, const mstch::data& view, const Escape& escape) {
  mstch::mustache& tmpl = parsed(template_path);
  if (escape) tmpl.set_custom_escape(escape);
  else tmpl.set_custom_escape([](const std::string& s) { return s; });
  std::string text = tmpl.render(view);
  text.erase(std::remove(text.begin(), text.end(), kBlankLineMarker), text.end());
  return text;
}

mstch::list doc_lines(const std::string& text) {
  mstch::list out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\\' || line.back() == ' ' || line.back() == '\r')) line.pop_back();
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
