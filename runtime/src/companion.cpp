#include "keyspace/kinds/companion.hpp"

namespace keyspace {

std::string companion_key(const Client& client, std::string_view key, std::string_view suffix) {
  std::string out;
  out.reserve(key.size() + suffix.size() + 3);
  const bool tag_whole_key = client.options().topology == Topology::cluster && key.find('{') == std::string_view::npos;
  if (tag_whole_key) out += '{';
  out += key;
  if (tag_whole_key) out += '}';
  out += ':';
  out += suffix;
  return out;
}

}  // namespace keyspace
