#include "lint/collisions.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "diag/codes.hpp"
#include "lint/param_language.hpp"
#include "lint/pattern_automaton.hpp"
#include "model/param_pattern.hpp"

namespace keyspace::gen {
namespace {

struct Part {
  const Segment* segment;
  const Param* param;  // null for literals (and, defensively, for undeclared placeholders)
  bool tagged;         // the hash_tag segment, rendered in braces
};

// A template as rendered in Redis (version segment included), with what each segment can spell.
struct Rendered {
  std::string label;  // "cache.profile" or "cache.profile (tag set)"
  std::string text;
  std::vector<Segment> segments;
  const std::vector<Param>* params = nullptr;
  std::string hash_tag;
  SourceLoc loc;
  bool channel = false;
  bool shared_tag_set = false;  // tag sets are shared by design between keys with the same tag
};

const Param* find_param(const std::vector<Param>& params, const std::string& name) {
  const auto p = std::find_if(params.begin(), params.end(), [&](const Param& x) { return x.name == name; });
  return p == params.end() ? nullptr : &*p;
}

Rendered render(const std::string& label, const KeyTemplate& t, const std::vector<Param>& params, const Key& key,
                int version) {
  Rendered r;
  r.label = label;
  r.text = t.text;
  r.loc = t.loc;
  r.channel = key.kind == Kind::channel;
  r.segments = t.segments;
  r.params = &params;
  r.hash_tag = key.hash_tag;
  if (version > 1) {
    r.segments.push_back(Segment{false, "v" + std::to_string(version), key.version_loc});
    r.text += ":v" + std::to_string(version);
  }
  return r;
}

// A string parameter without a pattern: any non-empty text within max_length. Its language is
// never built (up to 17 states per byte of max_length once escaped), as nothing needs it.
bool is_any_text(const Param& param) { return param.type == Param::Type::string && param.pattern.empty(); }

// What each parameter can write into its segment, built once per distinct declaration (keys
// of one schema repeat the same `id: int64` many times), and the intersections of two of them,
// computed once per pair.
class Languages {
 public:
  explicit Languages(const Schema& schema) : schema_(schema) {}

  // nullopt for an unreadable pattern, a language too large, and any text (is_any_text).
  const std::optional<ParamLanguage>& of(const Param& param) { return languages_[id(param)]; }

  // A shortest common spelling of two parameters that have languages. An example longer than a
  // bound the automaton did not count is not known to be rendered: undecided then.
  const Intersection& common(const Param& a, const Param& b) {
    std::pair<std::size_t, std::size_t> ids{id(a), id(b)};
    if (ids.first > ids.second) std::swap(ids.first, ids.second);
    auto it = intersections_.find(ids);
    if (it == intersections_.end()) {
      const ParamLanguage& la = *languages_[ids.first];
      const ParamLanguage& lb = *languages_[ids.second];
      Intersection found = intersect(la.automaton, lb.automaton);
      if (found.example && (!within(la, *found.example) || !within(lb, *found.example))) found = {false, std::nullopt};
      it = intersections_.emplace(ids, std::move(found)).first;
    }
    return it->second;
  }

  static bool within(const ParamLanguage& l, const std::string& text) {
    return !l.unchecked_max_length || text.size() <= l.unchecked_max_length;
  }

 private:
  std::size_t id(const Param& param) {
    const std::string signature = fmt::format("{}/{}/{}/{}", static_cast<int>(param.type), param.enum_type,
                                              param.max_length, param.pattern);
    const auto [it, added] = ids_.emplace(signature, languages_.size());
    if (added) languages_.push_back(is_any_text(param) ? std::nullopt : rendered_language(param, schema_));
    return it->second;
  }

  const Schema& schema_;
  std::map<std::string, std::size_t> ids_;
  std::vector<std::optional<ParamLanguage>> languages_;
  std::map<std::pair<std::size_t, std::size_t>, Intersection> intersections_;
};

// Whether a parameter whose pattern the automaton reader does not follow can render `text`,
// asked of RE2 directly (only a value without escaped bytes can equal a literal then; a
// pattern RE2 rejects has been reported and is taken to match).
bool can_spell_plainly(const Param& param, const std::string& text) {
  if (param.type != Param::Type::string) return false;  // integers and enums always have a language
  if (text.empty() || (param.max_length != 0 && text.size() > param.max_length)) return false;
  return param.pattern.empty() || pattern_matches(param.pattern, text) || !pattern_error(param.pattern).empty();
}

// A text that both segments can render, if any. Segments never contain an unescaped ':', so two
// keys are equal exactly when their segments are, one by one.
std::optional<std::string> common_spelling(const Part& a, const Part& b, Languages& languages) {
  if (a.tagged != b.tagged) return std::nullopt;
  auto wrapped = [&](const std::string& text) { return a.tagged ? "{" + text + "}" : text; };
  if (!a.param && !b.param) {
    if (a.segment->text == b.segment->text) return wrapped(a.segment->text);
    return std::nullopt;
  }
  if (!a.param || !b.param) {
    const Part& literal = a.param ? b : a;
    const Param& param = a.param ? *a.param : *b.param;
    const std::optional<ParamLanguage>& language = languages.of(param);
    const std::string& text = literal.segment->text;
    const bool spelled = language ? accepts(language->automaton, text) && Languages::within(*language, text)
                                  : can_spell_plainly(param, text);
    if (spelled) return wrapped(literal.segment->text);
    return std::nullopt;
  }
  // A string without a pattern renders any text of up to max_length bytes: it meets the other
  // parameter's shortest spelling when that is short enough.
  const bool any_a = is_any_text(*a.param), any_b = is_any_text(*b.param);
  if (any_a && any_b) return wrapped("a");
  if (any_a || any_b) {
    const Param& any = any_a ? *a.param : *b.param;
    const Param& other = any_a ? *b.param : *a.param;
    if (!languages.of(other)) return wrapped("...");
    const Intersection& shortest = languages.common(other, other);
    if (shortest.decided && !shortest.example) return std::nullopt;  // `other` renders nothing
    if (shortest.example && (any.max_length == 0 || shortest.example->size() <= any.max_length)) {
      return wrapped(*shortest.example);
    }
    return wrapped("...");
  }
  // Two parameters meet where their languages intersect. When one cannot be read or the search
  // hits its bound, they are taken to overlap: a false alarm beats a miss.
  if (!languages.of(*a.param) || !languages.of(*b.param)) return wrapped("...");
  const Intersection& common = languages.common(*a.param, *b.param);
  if (!common.decided) return wrapped("...");
  if (common.example) return wrapped(*common.example);
  return std::nullopt;
}

std::vector<Part> all_parts(const Rendered& r) {
  std::vector<Part> parts;
  for (const Segment& seg : r.segments) {
    parts.push_back({&seg, seg.is_param ? find_param(*r.params, seg.text) : nullptr, seg.is_param && seg.text == r.hash_tag});
  }
  return parts;
}

// An example key both templates render, or nullopt when they never meet.
std::optional<std::string> witness(const Rendered& a, const Rendered& b, Languages& languages) {
  const std::vector<Part> pa = all_parts(a), pb = all_parts(b);
  if (pa.size() != pb.size()) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < pa.size(); ++i) {
    std::optional<std::string> common = common_spelling(pa[i], pb[i], languages);
    if (!common) return std::nullopt;
    out += (i ? ":" : "") + *common;
  }
  return out;
}

std::vector<Rendered> rendered_templates(const Schema& schema) {
  std::vector<Rendered> out;
  for (const Namespace& ns : schema.namespaces) {
    for (const Key& key : ns.keys) {
      if (key.key.segments.empty()) continue;  // a broken template, reported elsewhere
      const std::string label = ns.name + "." + key.name;
      out.push_back(render(label, key.key, key.params, key, key.version));
      for (const CompanionKey& companion : companion_keys(key)) {
        const std::vector<Param>& params = companion.role == "session index" ? key.index->params : key.params;
        Rendered r = render(label + " (" + companion.role + ")", companion.key, params, key, 1);
        r.shared_tag_set = companion.role == "tag set";
        out.push_back(std::move(r));
      }
    }
  }
  return out;
}

// Two templates of a group can only meet where, at every segment that is literal in both, the
// literals are equal (common_spelling of two different literals is nothing). The index finds
// those pairs without comparing every pair of a group: a namespace of thousands of keys told
// apart by their literal segments costs a lookup per key, not a comparison with every other.
class LiteralIndex {
 public:
  explicit LiteralIndex(const std::vector<const Rendered*>& members) : members_(members) {
    const std::size_t width = members.empty() ? 0 : members.front()->segments.size();
    by_literal_.resize(width);
    params_.resize(width);
    // Segment 0 is the group's own first segment, equal in all members.
    for (std::size_t i = 0; i < members.size(); ++i) {
      for (std::size_t s = 1; s < width; ++s) {
        const Segment& seg = members[i]->segments[s];
        if (seg.is_param) params_[s].push_back(i);
        else by_literal_[s][seg.text].push_back(i);
      }
    }
  }

  // Members before `j` whose literals agree with those of member `j`, in increasing order.
  std::vector<std::size_t> candidates_before(std::size_t j) const {
    const std::vector<Segment>& segments = members_[j]->segments;
    // The members sharing j's literal at its most selective literal segment, or else all.
    const std::vector<std::size_t>* literal_matches = nullptr;
    const std::vector<std::size_t>* param_matches = nullptr;
    for (std::size_t s = 1; s < segments.size(); ++s) {
      if (segments[s].is_param) continue;
      const auto& same = by_literal_[s].at(segments[s].text);
      if (!literal_matches || same.size() + params_[s].size() < literal_matches->size() + param_matches->size()) {
        literal_matches = &same;
        param_matches = &params_[s];
      }
    }
    std::vector<std::size_t> out;
    if (!literal_matches) {
      for (std::size_t i = 0; i < j; ++i) out.push_back(i);
      return out;
    }
    std::merge(literal_matches->begin(), std::lower_bound(literal_matches->begin(), literal_matches->end(), j),
               param_matches->begin(), std::lower_bound(param_matches->begin(), param_matches->end(), j),
               std::back_inserter(out));
    out.erase(std::remove_if(out.begin(), out.end(), [&](std::size_t i) { return !literals_agree(i, j); }), out.end());
    return out;
  }

 private:
  bool literals_agree(std::size_t i, std::size_t j) const {
    const std::vector<Segment>& a = members_[i]->segments;
    const std::vector<Segment>& b = members_[j]->segments;
    for (std::size_t s = 1; s < a.size(); ++s) {
      if (!a[s].is_param && !b[s].is_param && a[s].text != b[s].text) return false;
    }
    return true;
  }

  const std::vector<const Rendered*>& members_;
  std::vector<std::map<std::string, std::vector<std::size_t>>> by_literal_;  // per segment: members by literal
  std::vector<std::vector<std::size_t>> params_;                             // per segment: members with a parameter
};

}  // namespace

void check_collisions(const Schema& schema, DiagnosticSink& sink) {
  const std::vector<Rendered> all = rendered_templates(schema);
  Languages languages(schema);
  // Only templates of the same segment count, first segment and Redis namespace (keys or pub/sub
  // channels) can meet; grouping keeps large schemas fast.
  std::map<std::tuple<bool, std::size_t, std::string>, std::vector<const Rendered*>> groups;
  for (const Rendered& r : all) {
    if (r.segments.empty()) continue;  // a template that did not parse has been reported
    groups[{r.channel, r.segments.size(), r.segments.front().text}].push_back(&r);
  }
  for (const auto& [group_key, members] : groups) {
    const LiteralIndex index(members);
    for (std::size_t j = 1; j < members.size(); ++j) {
      const Rendered& b = *members[j];
      // The earliest template before b that renders one of its keys, as comparing b with every
      // earlier template in order would find; only those whose literals agree with b's can.
      for (const std::size_t i : index.candidates_before(j)) {
        const Rendered& a = *members[i];
        if (a.shared_tag_set && b.shared_tag_set && a.text == b.text) continue;
        const std::optional<std::string> key = witness(a, b, languages);
        if (!key) continue;
        sink.error(code::kKeyCollision, b.loc,
                   fmt::format("'{}' ({}) and '{}' ({}) can render the same {}, e.g. `{}`", b.text, b.label, a.text,
                               a.label, b.channel ? "channel" : "key", *key),
                   {{a.loc, fmt::format("'{}' declared here", a.label)}});
        break;  // one finding per template is enough to act on
      }
    }
  }
}

}  // namespace keyspace::gen
