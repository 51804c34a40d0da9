// pattern_automaton(): RE2 syntax -> syntax tree -> automaton with empty moves -> without them.
// Only patterns RE2 has compiled reach here, so anything unexpected is "not followed" (nullopt),
// never an error message.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lint/pattern_automaton.hpp"

namespace keyspace::gen {
namespace {

struct Node {
  enum class Type { bytes, concat, alternation, repeat };
  Type type = Type::concat;
  ByteSet bytes;                              // Type::bytes
  std::vector<std::unique_ptr<Node>> items;   // concat, alternation; repeat: one
  std::size_t min = 0;                        // repeat
  std::optional<std::size_t> max;             // repeat; nullopt is unbounded
};
using NodePtr = std::unique_ptr<Node>;

NodePtr make(Node::Type type) {
  auto n = std::make_unique<Node>();
  n->type = type;
  return n;
}

ByteSet range(int from, int to) {
  ByteSet s;
  for (int c = from; c <= to; ++c) s.set(static_cast<std::size_t>(c));
  return s;
}
ByteSet one(unsigned char c) { return range(c, c); }
ByteSet digits() { return range('0', '9'); }
ByteSet word() { return range('0', '9') | range('A', 'Z') | range('a', 'z') | one('_'); }
ByteSet spaces() { return one('\t') | one('\n') | one('\f') | one('\r') | one(' '); }

std::optional<ByteSet> posix_class(const std::string& name) {
  if (name == "alnum") return range('0', '9') | range('A', 'Z') | range('a', 'z');
  if (name == "alpha") return range('A', 'Z') | range('a', 'z');
  if (name == "ascii") return range(0, 0x7f);
  if (name == "blank") return one('\t') | one(' ');
  if (name == "cntrl") return range(0, 0x1f) | one(0x7f);
  if (name == "digit") return digits();
  if (name == "graph") return range('!', '~');
  if (name == "lower") return range('a', 'z');
  if (name == "print") return range(' ', '~');
  if (name == "punct") return range('!', '/') | range(':', '@') | range('[', '`') | range('{', '~');
  if (name == "space") return spaces() | one('\v');
  if (name == "upper") return range('A', 'Z');
  if (name == "word") return word();
  if (name == "xdigit") return range('0', '9') | range('A', 'F') | range('a', 'f');
  return std::nullopt;
}

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  NodePtr parse() {
    if (peek('^')) ++i_;
    NodePtr n = alternation();
    if (n && i_ + 1 == s_.size() && s_[i_] == '$') ++i_;
    return n && i_ == s_.size() ? std::move(n) : nullptr;
  }

 private:
  bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool at_end() const { return i_ >= s_.size(); }

  NodePtr alternation() {
    NodePtr alt = make(Node::Type::alternation);
    for (;;) {
      NodePtr branch = concatenation();
      if (!branch) return nullptr;
      alt->items.push_back(std::move(branch));
      if (!peek('|')) break;
      ++i_;
    }
    return alt;
  }

  NodePtr concatenation() {
    NodePtr seq = make(Node::Type::concat);
    while (!at_end() && !peek('|') && !peek(')')) {
      if (peek('$') && i_ + 1 == s_.size()) break;  // the closing anchor, read by parse()
      NodePtr a = atom();
      if (!a) return nullptr;
      if (!quantifiers(a)) return nullptr;
      seq->items.push_back(std::move(a));
    }
    return seq;
  }

  bool quantifiers(NodePtr& a) {
    for (;;) {
      std::size_t min = 0;
      std::optional<std::size_t> max;
      if (peek('*')) {
        ++i_;
      } else if (peek('+')) {
        ++i_;
        min = 1;
      } else if (peek('?')) {
        ++i_;
        max = 1;
      } else if (!counted_repetition(min, max)) {
        return true;
      }
      if (peek('?')) ++i_;  // non-greedy: the same language
      NodePtr r = make(Node::Type::repeat);
      r->min = min;
      r->max = max;
      r->items.push_back(std::move(a));
      a = std::move(r);
    }
  }

  // {n}, {n,} or {n,m}; anything else leaves `{` to be read as a literal.
  bool counted_repetition(std::size_t& min, std::optional<std::size_t>& max) {
    if (!peek('{')) return false;
    std::size_t j = i_ + 1;
    auto number = [&](std::size_t& out) {
      const std::size_t start = j;
      out = 0;
      while (j < s_.size() && s_[j] >= '0' && s_[j] <= '9' && j - start < 5) out = out * 10 + (s_[j++] - '0');
      return j > start;
    };
    std::size_t lo = 0, hi = 0;
    if (!number(lo)) return false;
    bool bounded = true;
    if (j < s_.size() && s_[j] == ',') {
      ++j;
      bounded = number(hi);
    } else {
      hi = lo;
    }
    if (j >= s_.size() || s_[j] != '}') return false;
    i_ = j + 1;
    min = lo;
    if (bounded) {
      max = hi;
    } else {
      max.reset();
    }
    return true;
  }

  NodePtr bytes_node(const ByteSet& set) {
    NodePtr n = make(Node::Type::bytes);
    n->bytes = set;
    return n;
  }

  NodePtr atom() {
    const char c = s_[i_];
    if (c == '(') return group();
    if (c == '[') {
      const std::optional<ByteSet> set = char_class();
      return set ? bytes_node(*set) : nullptr;
    }
    if (c == '.') {
      ++i_;
      return bytes_node(~one('\n'));
    }
    if (c == '\\') {
      const std::optional<ByteSet> set = escape(false);
      return set ? bytes_node(*set) : nullptr;
    }
    if (c == '^' || c == '$' || c == '*' || c == '+' || c == '?') return nullptr;
    ++i_;
    return bytes_node(one(static_cast<unsigned char>(c)));
  }

  NodePtr group() {
    ++i_;  // (
    if (peek('?')) {
      if (s_.compare(i_, 2, "?:") == 0) {
        i_ += 2;
      } else if (s_.compare(i_, 3, "?P<") == 0 || s_.compare(i_, 2, "?<") == 0) {
        const std::size_t close = s_.find('>', i_);
        if (close == std::string::npos) return nullptr;
        i_ = close + 1;
      } else {
        return nullptr;  // flags change the language; not followed
      }
    }
    NodePtr inner = alternation();
    if (!inner || !peek(')')) return nullptr;
    ++i_;
    return inner;
  }

  std::optional<ByteSet> char_class() {
    ++i_;  // [
    const bool negated = peek('^');
    if (negated) ++i_;
    ByteSet set;
    bool first = true;
    while (!at_end() && (first || !peek(']'))) {
      first = false;
      if (s_.compare(i_, 2, "[:") == 0) {
        const std::size_t close = s_.find(":]", i_ + 2);
        if (close == std::string::npos) return std::nullopt;
        std::string name = s_.substr(i_ + 2, close - i_ - 2);
        const bool not_in = !name.empty() && name[0] == '^';
        const std::optional<ByteSet> named = posix_class(not_in ? name.substr(1) : name);
        if (!named) return std::nullopt;
        set |= not_in ? ~*named : *named;
        i_ = close + 2;
        continue;
      }
      std::optional<ByteSet> lo = class_member();
      if (!lo) return std::nullopt;
      if (peek('-') && i_ + 1 < s_.size() && s_[i_ + 1] != ']' && lo->count() == 1) {
        ++i_;
        const std::optional<ByteSet> hi = class_member();
        if (!hi || hi->count() != 1) return std::nullopt;
        set |= range(first_byte(*lo), first_byte(*hi));
      } else {
        set |= *lo;
      }
    }
    if (!peek(']')) return std::nullopt;
    ++i_;
    return negated ? ~set : set;
  }

  static int first_byte(const ByteSet& s) {
    for (int c = 0; c < 256; ++c) {
      if (s.test(static_cast<std::size_t>(c))) return c;
    }
    return 0;
  }

  std::optional<ByteSet> class_member() {
    if (peek('\\')) return escape(true);
    return one(static_cast<unsigned char>(s_[i_++]));
  }

  std::optional<ByteSet> escape(bool in_class) {
    ++i_;  // backslash
    if (at_end()) return std::nullopt;
    const char c = s_[i_++];
    switch (c) {
      case 'd': return digits();
      case 'D': return ~digits();
      case 'w': return word();
      case 'W': return ~word();
      case 's': return spaces();
      case 'S': return ~spaces();
      case 'n': return one('\n');
      case 't': return one('\t');
      case 'r': return one('\r');
      case 'f': return one('\f');
      case 'v': return one('\v');
      case 'a': return one('\a');
      case 'C': return in_class ? std::nullopt : std::optional<ByteSet>(~ByteSet());
      case 'x': return hex_escape();
      default: break;
    }
    if (c >= '0' && c <= '7') {
      int value = c - '0';
      for (int k = 0; k < 2 && !at_end() && s_[i_] >= '0' && s_[i_] <= '7'; ++k) value = value * 8 + (s_[i_++] - '0');
      return value < 256 ? std::optional<ByteSet>(one(static_cast<unsigned char>(value))) : std::nullopt;
    }
    const auto u = static_cast<unsigned char>(c);
    const bool punctuation = u < 0x80 && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    if (punctuation) return one(u);
    return std::nullopt;  // \b, \B, \A, \z, \p, \Q...: not followed
  }

  std::optional<ByteSet> hex_escape() {
    auto hex = [](char h) {
      if (h >= '0' && h <= '9') return h - '0';
      if (h >= 'a' && h <= 'f') return h - 'a' + 10;
      if (h >= 'A' && h <= 'F') return h - 'A' + 10;
      return -1;
    };
    int value = 0;
    if (peek('{')) {
      const std::size_t close = s_.find('}', i_);
      if (close == std::string::npos || close == i_ + 1 || close - i_ > 9) return std::nullopt;
      for (std::size_t k = i_ + 1; k < close; ++k) {
        if (hex(s_[k]) < 0) return std::nullopt;
        value = value * 16 + hex(s_[k]);
      }
      i_ = close + 1;
    } else {
      if (i_ + 2 > s_.size() || hex(s_[i_]) < 0 || hex(s_[i_ + 1]) < 0) return std::nullopt;
      value = hex(s_[i_]) * 16 + hex(s_[i_ + 1]);
      i_ += 2;
    }
    if (value > 0xff) return std::nullopt;
    return one(static_cast<unsigned char>(value));
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

// Thompson's construction: each node becomes a fragment with one entry and one exit state.
class Builder {
 public:
  struct Fragment {
    std::size_t in, out;
  };

  std::optional<Fragment> build(const Node& n) {
    if (bytes_.size() > kMaxAutomatonStates) return std::nullopt;
    switch (n.type) {
      case Node::Type::bytes: {
        const Fragment f{state(), state()};
        bytes_[f.in].push_back({n.bytes, f.out});
        return f;
      }
      case Node::Type::concat: {
        const Fragment f{state(), 0};
        std::size_t at = f.in;
        for (const NodePtr& item : n.items) {
          const std::optional<Fragment> g = build(*item);
          if (!g) return std::nullopt;
          empty_[at].push_back(g->in);
          at = g->out;
        }
        return Fragment{f.in, at};
      }
      case Node::Type::alternation: {
        const Fragment f{state(), state()};
        for (const NodePtr& item : n.items) {
          const std::optional<Fragment> g = build(*item);
          if (!g) return std::nullopt;
          empty_[f.in].push_back(g->in);
          empty_[g->out].push_back(f.out);
        }
        return f;
      }
      case Node::Type::repeat: return repeat(n);
    }
    return std::nullopt;
  }

  Automaton finish(std::size_t start, std::size_t accept) const;

 private:
  std::size_t state() {
    bytes_.emplace_back();
    empty_.emplace_back();
    return bytes_.size() - 1;
  }

  std::optional<Fragment> repeat(const Node& n) {
    const Node& item = *n.items.front();
    const std::size_t in = state();
    std::size_t at = in;
    for (std::size_t k = 0; k < n.min; ++k) {
      const std::optional<Fragment> g = build(item);
      if (!g) return std::nullopt;
      empty_[at].push_back(g->in);
      at = g->out;
    }
    const std::size_t out = state();
    if (!n.max) {
      const std::optional<Fragment> g = build(item);
      if (!g) return std::nullopt;
      empty_[at].push_back(g->in);
      empty_[g->out].push_back(at);
      empty_[at].push_back(out);
      return Fragment{in, out};
    }
    for (std::size_t k = n.min; k < *n.max; ++k) {
      const std::optional<Fragment> g = build(item);
      if (!g) return std::nullopt;
      empty_[at].push_back(out);
      empty_[at].push_back(g->in);
      at = g->out;
    }
    empty_[at].push_back(out);
    return Fragment{in, out};
  }

  std::vector<std::vector<Automaton::Edge>> bytes_;
  std::vector<std::vector<std::size_t>> empty_;
};

// Removes empty moves: a state moves on a byte wherever a state of its empty closure does, and
// accepts when its closure holds the accepting state. Only states reachable from the start stay.
Automaton Builder::finish(std::size_t start, std::size_t accept) const {
  const std::size_t n = bytes_.size();
  std::vector<std::size_t> number(n, SIZE_MAX);
  std::vector<std::size_t> order{start};
  number[start] = 0;
  Automaton a;
  std::vector<std::size_t> seen(n, SIZE_MAX);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t q = order[k];
    std::map<std::size_t, ByteSet> edges;  // by target, so each pair of states has one edge
    bool accepting = false;
    std::vector<std::size_t> stack{q};
    seen[q] = k;
    while (!stack.empty()) {
      const std::size_t p = stack.back();
      stack.pop_back();
      accepting = accepting || p == accept;
      for (const Automaton::Edge& e : bytes_[p]) {
        if (number[e.to] == SIZE_MAX) {
          if (order.size() >= kMaxAutomatonStates) return Automaton{};
          number[e.to] = order.size();
          order.push_back(e.to);
        }
        edges[number[e.to]] |= e.bytes;
      }
      for (const std::size_t next : empty_[p]) {
        if (seen[next] != k) {
          seen[next] = k;
          stack.push_back(next);
        }
      }
    }
    a.edges.emplace_back();
    for (const auto& [to, bytes] : edges) a.edges.back().push_back({bytes, to});
    a.accepting.push_back(accepting);
  }
  return a;
}

}  // namespace

std::optional<Automaton> pattern_automaton(const std::string& pattern) {
  Parser parser(pattern);
  const NodePtr tree = parser.parse();
  if (!tree) return std::nullopt;
  Builder builder;
  const std::optional<Builder::Fragment> f = builder.build(*tree);
  if (!f) return std::nullopt;
  Automaton a = builder.finish(f->in, f->out);
  if (a.edges.empty()) return std::nullopt;
  return a;
}

}  // namespace keyspace::gen
