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
// Same, with the names `view` lacks looked up in `outer` (innermost first), as if `view` were a
// section inside them: a part of a larger view renders on its own without being copied.
std::string render_nested(std::string_view template_path, const mstch::data& view,
                          const std::vector<const mstch::data*>& outer, const Escape& escape = {});

// view.set(name, value) without a copy: set() copies its argument, and copying a list copies
// every item in it, so building a large view with set() copied it once per nesting level.
void put(mstch::data& view, const std::string& name, mstch::data value);
// Same for a list, which becomes the value without its items being copied.
void put(mstch::data& view, const std::string& name, mstch::list items);
// Same for text (a rendered part of a template can be kilobytes); a literal is copied once.
void put(mstch::data& view, const std::string& name, std::string text);
void put(mstch::data& view, const std::string& name, const char* text);

// Text for one line of a comment in generated code: control bytes other than tab (a carriage
// return ends a C++ line too) are written \xNN, so nothing after them leaves the comment.
std::string comment_line(const std::string& text);

// Description text as a list of comment lines (see comment_line); a trailing backslash would
// splice the next line of a C++ comment, so trailing backslashes and blanks are dropped.
mstch::list doc_lines(const std::string& text);

std::string join(const std::vector<std::string>& parts, const std::string& sep);

}  // namespace keyspace::gen
