#pragma once
// Rendering the mustache templates compiled into the generator (templates/*/*.mustache), shared
// by every emitter: emitters build view data from the model, templates hold no logic.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <kainjow/mustache.hpp>

namespace keyspace::gen {

namespace mstch = kainjow::mustache;

// How `{{name}}` escapes a value (`{{{name}}}` never does); the default leaves text as is.
using Escape = std::function<std::string(const std::string&)>;

// Renders the embedded template `template_path` (e.g. "templates/cpp/keyspace.hpp.mustache").
std::string render(std::string_view template_path, const mstch::data& view, const Escape& escape = {});

// Description text as a list of lines; a trailing backslash would splice the next line of a C++
// comment, so trailing backslashes and blanks are dropped.
mstch::list doc_lines(const std::string& text);

std::string join(const std::vector<std::string>& parts, const std::string& sep);

}  // namespace keyspace::gen
