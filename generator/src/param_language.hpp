#pragma once
// What a parameter can write into its key segment, as an automaton: the values the runtime
// accepts (never empty; within max_length; matching the pattern; an integer's canonical decimal;
// an enum's names), escaped as the runtime escapes them.

#include <optional>

#include "model.hpp"
#include "pattern_automaton.hpp"

namespace keyspace::gen {

// nullopt when the pattern is outside what pattern_automaton() reads, or the automaton would be
// too large; the callers then answer cautiously.
std::optional<Automaton> rendered_language(const Param& param, const Schema& schema);

}  // namespace keyspace::gen
