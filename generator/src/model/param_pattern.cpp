#include "model/param_pattern.hpp"

#include <re2/re2.h>

namespace keyspace::gen {
namespace {

RE2::Options options() {
  RE2::Options o(RE2::Quiet);
  o.set_encoding(RE2::Options::EncodingLatin1);
  return o;
}

}  // namespace

std::string pattern_error(const std::string& pattern) {
  const RE2 re(pattern, options());
  return re.ok() ? std::string() : re.error();
}

bool pattern_matches(const std::string& pattern, const std::string& text) {
  const RE2 re(pattern, options());
  return re.ok() && RE2::FullMatch(text, re);
}

}  // namespace keyspace::gen
