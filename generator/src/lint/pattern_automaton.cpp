#include "lint/pattern_automaton.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <unordered_map>
#include <utility>

namespace keyspace::gen {
namespace {

constexpr std::size_t kMaxPairs = 100000;
constexpr char kHexDigits[] = "0123456789ABCDEF";

// The bytes the runtime percent-encodes in a parameter value (runtime/src/escape.cpp).
ByteSet escaped_bytes() {
  ByteSet s;
  for (int c = 0; c <= 0x20; ++c) s.set(static_cast<std::size_t>(c));
  for (unsigned char c : std::string("%:{}*?[]\\\x7f")) s.set(c);
  return s;
}

// Bytes in the order examples prefer them: lower-case letters, digits, upper-case, then the rest.
const std::array<unsigned char, 256>& preferred_bytes() {
  static const std::array<unsigned char, 256> order = [] {
    std::array<unsigned char, 256> out{};
    std::size_t k = 0;
    auto add = [&](int from, int to) {
      for (int c = from; c <= to; ++c) out[k++] = static_cast<unsigned char>(c);
    };
    add('a', 'z');
    add('0', '9');
    add('A', 'Z');
    add(0, '0' - 1);
    add('9' + 1, 'A' - 1);
    add('Z' + 1, 'a' - 1);
    add('z' + 1, 255);
    return out;
  }();
  return order;
}

std::optional<unsigned char> pick(const ByteSet& s) {
  for (const unsigned char c : preferred_bytes()) {
    if (s.test(c)) return c;
  }
  return std::nullopt;
}

std::size_t add_state(Automaton& a, bool accepting) {
  a.edges.emplace_back();
  a.accepting.push_back(accepting);
  return a.edges.size() - 1;
}

}  // namespace

Automaton texts_automaton(const std::vector<std::string>& texts) {
  Automaton a;
  add_state(a, false);
  for (const std::string& text : texts) {
    std::size_t at = 0;
    for (const char ch : text) {
      const auto c = static_cast<unsigned char>(ch);
      const auto e = std::find_if(a.edges[at].begin(), a.edges[at].end(), [&](const Automaton::Edge& x) { return x.bytes.test(c); });
      if (e != a.edges[at].end()) {
        at = e->to;
        continue;
      }
      const std::size_t next = add_state(a, false);
      ByteSet b;
      b.set(c);
      a.edges[at].push_back({b, next});
      at = next;
    }
    a.accepting[at] = true;
  }
  return a;
}

std::optional<Automaton> length_bounded(const Automaton& a, std::size_t min, std::optional<std::size_t> max) {
  // A bound above the longest string changes nothing; below it, a cycle of `a` is unrolled up
  // to the bound, so a bound above the state limit is refused before any state is built.
  const std::optional<std::size_t> longest_string = longest(a);
  if (max && longest_string && *max > *longest_string) max = longest_string;
  if (max && !longest_string && *max >= kMaxAutomatonStates) return std::nullopt;
  // States (q, c): q of `a` after c bytes, c counted up to max (or up to min, when unbounded).
  const std::size_t cap = max ? *max : min;
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> number;
  std::vector<std::pair<std::size_t, std::size_t>> order;
  Automaton out;
  auto visit = [&](std::size_t q, std::size_t c) {
    const auto [it, added] = number.emplace(std::make_pair(q, c), order.size());
    if (added) {
      order.emplace_back(q, c);
      add_state(out, a.accepting[q] && c >= min);
    }
    return it->second;
  };
  visit(0, 0);
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (order.size() > kMaxAutomatonStates) return std::nullopt;
    const auto [q, c] = order[k];
    if (max && c == cap) continue;
    const std::size_t next = std::min(c + 1, cap);
    for (const Automaton::Edge& e : a.edges[q]) {
      const std::size_t to = visit(e.to, next);
      out.edges[k].push_back({e.bytes, to});
    }
  }
  return out;
}

std::optional<Automaton> escaped(const Automaton& a) {
  static const ByteSet must = escaped_bytes();
  Automaton out;
  out.edges.resize(a.edges.size());
  out.accepting = a.accepting;
  for (std::size_t q = 0; q < a.edges.size(); ++q) {
    for (const Automaton::Edge& e : a.edges[q]) {
      const ByteSet plain = e.bytes & ~must;
      const ByteSet special = e.bytes & must;
      if (plain.any()) out.edges[q].push_back({plain, e.to});
      if (special.none()) continue;
      if (out.edges.size() > kMaxAutomatonStates) return std::nullopt;
      // %XY: after '%', the high hex digit, then the low digits that complete an escaped byte.
      const std::size_t percent = add_state(out, false);
      ByteSet p;
      p.set('%');
      out.edges[q].push_back({p, percent});
      for (std::size_t high = 0; high < 16; ++high) {
        ByteSet lows;
        for (std::size_t low = 0; low < 16; ++low) {
          if (special.test(high * 16 + low)) lows.set(static_cast<unsigned char>(kHexDigits[low]));
        }
        if (lows.none()) continue;
        const std::size_t middle = add_state(out, false);
        ByteSet h;
        h.set(static_cast<unsigned char>(kHexDigits[high]));
        out.edges[percent].push_back({h, middle});
        out.edges[middle].push_back({lows, e.to});
      }
    }
  }
  return out;
}

bool accepts(const Automaton& a, const std::string& text) {
  std::vector<bool> current(a.edges.size(), false);
  if (a.edges.empty()) return false;
  current[0] = true;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    std::vector<bool> next(a.edges.size(), false);
    for (std::size_t q = 0; q < a.edges.size(); ++q) {
      if (!current[q]) continue;
      for (const Automaton::Edge& e : a.edges[q]) {
        if (e.bytes.test(c)) next[e.to] = true;
      }
    }
    current = std::move(next);
  }
  for (std::size_t q = 0; q < a.edges.size(); ++q) {
    if (current[q] && a.accepting[q]) return true;
  }
  return false;
}

std::optional<std::size_t> longest(const Automaton& a) {
  const std::size_t n = a.edges.size();
  if (n == 0) return std::nullopt;
  // States from which an accepting state can be reached; only they can be on an accepted path.
  std::vector<std::vector<std::size_t>> reverse(n);
  for (std::size_t q = 0; q < n; ++q) {
    for (const Automaton::Edge& e : a.edges[q]) {
      if (e.bytes.any()) reverse[e.to].push_back(q);
    }
  }
  std::vector<bool> useful(a.accepting.begin(), a.accepting.end());
  std::vector<std::size_t> stack;
  for (std::size_t q = 0; q < n; ++q) {
    if (useful[q]) stack.push_back(q);
  }
  while (!stack.empty()) {
    const std::size_t q = stack.back();
    stack.pop_back();
    for (const std::size_t p : reverse[q]) {
      if (!useful[p]) {
        useful[p] = true;
        stack.push_back(p);
      }
    }
  }
  if (!useful[0]) return std::nullopt;
  // Longest path from the start through useful states, in topological order; a cycle among
  // them means arbitrarily long strings.
  std::vector<std::size_t> indegree(n, 0);
  for (std::size_t q = 0; q < n; ++q) {
    if (!useful[q]) continue;
    for (const Automaton::Edge& e : a.edges[q]) {
      if (e.bytes.any() && useful[e.to]) ++indegree[e.to];
    }
  }
  std::vector<std::size_t> ready;
  std::size_t useful_count = 0;
  for (std::size_t q = 0; q < n; ++q) {
    if (!useful[q]) continue;
    ++useful_count;
    if (indegree[q] == 0) ready.push_back(q);
  }
  std::vector<long long> distance(n, -1);
  distance[0] = 0;
  std::size_t done = 0;
  std::optional<std::size_t> best;
  while (!ready.empty()) {
    const std::size_t q = ready.back();
    ready.pop_back();
    ++done;
    if (distance[q] >= 0 && a.accepting[q]) best = std::max(best.value_or(0), static_cast<std::size_t>(distance[q]));
    for (const Automaton::Edge& e : a.edges[q]) {
      if (!e.bytes.any() || !useful[e.to]) continue;
      if (distance[q] >= 0) distance[e.to] = std::max(distance[e.to], distance[q] + 1);
      if (--indegree[e.to] == 0) ready.push_back(e.to);
    }
  }
  if (done != useful_count) return std::nullopt;
  return best;
}

Intersection intersect(const Automaton& a, const Automaton& b) {
  if (a.edges.empty() || b.edges.empty()) return {};
  // Breadth first over pairs of states, so the example found is a shortest common string.
  struct Visit {
    std::size_t qa, qb, parent;
    unsigned char byte;
  };
  std::vector<Visit> visits{{0, 0, SIZE_MAX, 0}};
  std::unordered_map<std::uint64_t, std::size_t> seen{{0, 0}};
  const std::uint64_t width = b.edges.size();
  for (std::size_t k = 0; k < visits.size(); ++k) {
    const Visit v = visits[k];
    if (a.accepting[v.qa] && b.accepting[v.qb]) {
      std::string example;
      for (std::size_t at = k; visits[at].parent != SIZE_MAX; at = visits[at].parent) example += static_cast<char>(visits[at].byte);
      std::reverse(example.begin(), example.end());
      return {true, example};
    }
    for (const Automaton::Edge& ea : a.edges[v.qa]) {
      for (const Automaton::Edge& eb : b.edges[v.qb]) {
        const std::optional<unsigned char> c = pick(ea.bytes & eb.bytes);
        if (!c) continue;
        if (!seen.emplace(ea.to * width + eb.to, visits.size()).second) continue;
        if (visits.size() >= kMaxPairs) return {false, std::nullopt};
        visits.push_back({ea.to, eb.to, k, *c});
      }
    }
  }
  return {};
}

}  // namespace keyspace::gen
