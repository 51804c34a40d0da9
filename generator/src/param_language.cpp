#include "param_language.hpp"

#include <string>
#include <vector>

namespace keyspace::gen {
namespace {

// The canonical decimal spellings, bounded by digit count: "-9223372036854775808" and
// "18446744073709551615" are the longest. A number of that many digits above the type's range
// is included, which only makes the collision check more cautious.
std::optional<Automaton> values(const Param& param, const Schema& schema) {
  switch (param.type) {
    case Param::Type::int64: return pattern_automaton("0|-?[1-9][0-9]{0,18}");
    case Param::Type::uint64: return pattern_automaton("0|[1-9][0-9]{0,19}");
    case Param::Type::enum_: {
      std::vector<std::string> names;
      if (const TypeDef* type = schema.find_type(param.enum_type)) {
        for (const EnumValue& v : type->values) names.push_back(v.name);
      }
      return texts_automaton(names);
    }
    case Param::Type::string: {
      const std::optional<Automaton> matching = pattern_automaton(param.pattern.empty() ? "\\C*" : param.pattern);
      if (!matching) return std::nullopt;
      return length_bounded(*matching, 1, param.max_length ? std::optional<std::size_t>(param.max_length) : std::nullopt);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Automaton> rendered_language(const Param& param, const Schema& schema) {
  const std::optional<Automaton> v = values(param, schema);
  if (!v) return std::nullopt;
  return escaped(*v);
}

}  // namespace keyspace::gen
