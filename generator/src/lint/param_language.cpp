#include "lint/param_language.hpp"

#include <string>
#include <vector>

namespace keyspace::gen {
namespace {

// The canonical decimal spellings, bounded by digit count: "-9223372036854775808" and
// "18446744073709551615" are the longest. A number of that many digits above the type's range
// is included, which only makes the collision check more cautious.
std::optional<ParamLanguage> values(const Param& param, const Schema& schema) {
  switch (param.type) {
    case Param::Type::int64: return ParamLanguage{*pattern_automaton("0|-?[1-9][0-9]{0,18}")};
    case Param::Type::uint64: return ParamLanguage{*pattern_automaton("0|[1-9][0-9]{0,19}")};
    case Param::Type::enum_: {
      std::vector<std::string> names;
      if (const TypeDef* type = schema.find_type(param.enum_type)) {
        for (const EnumValue& v : type->values) names.push_back(v.name);
      }
      return ParamLanguage{texts_automaton(names)};
    }
    case Param::Type::string: {
      const std::optional<Automaton> matching = pattern_automaton(param.pattern.empty() ? "\\C*" : param.pattern);
      if (!matching) return std::nullopt;
      const std::optional<std::size_t> max = param.max_length ? std::optional<std::size_t>(param.max_length) : std::nullopt;
      if (std::optional<Automaton> bounded = length_bounded(*matching, 1, max)) return ParamLanguage{std::move(*bounded)};
      std::optional<Automaton> nonempty = length_bounded(*matching, 1, std::nullopt);
      if (!nonempty || !max) return std::nullopt;
      return ParamLanguage{std::move(*nonempty), *max};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ParamLanguage> rendered_language(const Param& param, const Schema& schema) {
  std::optional<ParamLanguage> language = values(param, schema);
  if (!language) return std::nullopt;
  std::optional<Automaton> escaped_values = escaped(language->automaton);  // nullopt when too large
  if (!escaped_values) return std::nullopt;
  language->automaton = std::move(*escaped_values);
  return language;
}

bool pattern_may_expand(const std::string& pattern) {
  const std::optional<Automaton> a = pattern_automaton(pattern);
  if (!a) return true;
  const std::optional<Automaton> e = escaped(*a);
  return !e || e->edges.size() != a->edges.size();
}

}  // namespace keyspace::gen
