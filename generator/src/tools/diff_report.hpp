#pragma once
// Renders the changes found by `keyspace diff`: Markdown meant to be posted as a pull-request
// comment (a summary line, then one table per category), or JSON for tools.

#include <string>
#include <vector>

#include "tools/diff.hpp"

namespace keyspace::gen {

struct DiffReportInput {
  std::string old_path;  // display paths, e.g. "schema.yaml" or "main:schema.yaml"
  std::string new_path;
  const std::vector<Change>* changes = nullptr;
};

std::string render_diff_markdown(const DiffReportInput& input);
std::string render_diff_json(const DiffReportInput& input);

}  // namespace keyspace::gen
