#pragma once
// The first document of a YAML text as a tree of plain nodes, read with yaml-cpp's event parser
// in one pass. It is the graph YAML::Load would build — the same marks, the same tags, and an
// alias is the anchored node itself — without yaml-cpp's reference-counted node memory, and
// without parsing the text a second time to count its documents: building and walking
// YAML::Node cost as much as the parse itself.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/mark.h>

namespace keyspace::gen {

struct YamlNode {
  enum class Type : std::uint8_t { null, scalar, sequence, map };
  Type type = Type::null;
  bool non_specific_tag = false;  // the tag "!": a quoted (or block) scalar, never resolved
  YAML::Mark mark;                // where yaml-cpp marks the node (an alias: the anchored node)
  std::string scalar;
  std::vector<std::uint32_t> children;  // a sequence's items; a map's keys and values, alternating
};

struct YamlTree {
  std::vector<YamlNode> nodes;
  std::optional<std::uint32_t> root;  // the first document's root node, if there is a document
  // Where each document starts (its first node, or the document start when it has none): the
  // first and, when the text holds more than one document, the second.
  std::vector<YAML::Mark> document_starts;
};

// Parses the first document of `text` and the second one if there is one (at most two: see
// check_single_document in load/document.cpp). Throws YAML::Exception on a syntax error in either.
YamlTree parse_yaml_tree(const std::string& text);

}  // namespace keyspace::gen
