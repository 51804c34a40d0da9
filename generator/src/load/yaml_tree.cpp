#include "load/yaml_tree.hpp"

#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace keyspace::gen {
namespace {

// Where each document starts: its first node, or the document start when it has none.
class DocumentStarts : public YAML::EventHandler {
 public:
  explicit DocumentStarts(std::vector<YAML::Mark>& starts) : starts_(starts) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    starts_.push_back(mark);
    first_node_ = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override { node(mark); }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnMapEnd() override {}

 protected:
  void node(const YAML::Mark& mark) {
    if (first_node_ && !mark.is_null()) starts_.back() = mark;
    first_node_ = false;
  }

 private:
  std::vector<YAML::Mark>& starts_;
  bool first_node_ = false;
};

// Builds the tree as yaml-cpp's NodeBuilder builds its graph: a node is created at its event
// with that event's mark, registered under its anchor, and an alias adds the anchored node (even
// one still open, which makes a cycle, as in yaml-cpp). Children are appended in event order,
// which is the order NodeBuilder pairs keys with values and appends them.
class TreeBuilder : public DocumentStarts {
 public:
  explicit TreeBuilder(YamlTree& tree) : DocumentStarts(tree.document_starts), tree_(tree) {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    node(mark);
    add(create(YamlNode::Type::null, mark, anchor));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    node(mark);
    // The parser refuses an alias of an unknown anchor, so `anchor` is always registered.
    if (anchor < anchors_.size()) add(anchors_[anchor]);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    node(mark);
    const std::uint32_t index = create(YamlNode::Type::scalar, mark, anchor);
    tree_.nodes[index].scalar = value;
    tree_.nodes[index].non_specific_tag = tag == "!";
    add(index);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    node(mark);
    open(create(YamlNode::Type::sequence, mark, anchor));
  }
  void OnSequenceEnd() override { open_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    node(mark);
    open(create(YamlNode::Type::map, mark, anchor));
  }
  void OnMapEnd() override { open_.pop_back(); }

 private:
  std::uint32_t create(YamlNode::Type type, const YAML::Mark& mark, YAML::anchor_t anchor) {
    const auto index = static_cast<std::uint32_t>(tree_.nodes.size());
    tree_.nodes.emplace_back();
    tree_.nodes.back().type = type;
    tree_.nodes.back().mark = mark;
    if (anchor != YAML::NullAnchor) {
      if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
      anchors_[anchor] = index;
    }
    return index;
  }

  void add(std::uint32_t index) {
    if (open_.empty()) tree_.root = index;
    else tree_.nodes[open_.back()].children.push_back(index);
  }

  void open(std::uint32_t index) {
    add(index);
    open_.push_back(index);
  }

  YamlTree& tree_;
  std::vector<std::uint32_t> anchors_;  // node of each anchor id (ids count from 1)
  std::vector<std::uint32_t> open_;     // the collections being read, innermost last
};

}  // namespace

YamlTree parse_yaml_tree(const std::string& text) {
  YamlTree tree;
  std::istringstream in(text);
  YAML::Parser parser(in);
  TreeBuilder first(tree);
  if (!parser.HandleNextDocument(first)) return tree;
  // A second document is parsed to its end, so that a syntax error in it is reported as one.
  DocumentStarts second(tree.document_starts);
  parser.HandleNextDocument(second);
  return tree;
}

}  // namespace keyspace::gen
