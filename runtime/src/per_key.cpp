#include "per_key.hpp"

#include <string>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/detail/pipeline_layout.hpp"
#include "keyspace/errors.hpp"
#include "resp.hpp"
#include "slot.hpp"

namespace keyspace::detail {

std::vector<Reply> per_key(Client& client, const KeySpec& spec, std::string_view op, std::string_view command,
                           const std::vector<std::string_view>& keys) {
  std::string commands;
  PipelineLayout layout;
  for (const std::string_view key : keys) {
    append_command(commands, {command, key});
    layout.add(commands.size(), key_slot(key));
  }
  const std::vector<RawReply> raw = ClientAccess::execute_pipeline(client, spec, op, commands, keys.size(), layout);
  std::vector<Reply> out;
  out.reserve(raw.size());
  for (const RawReply& reply : raw) {
    if (reply.type() == Reply::Type::error) {
      throw CommandError(fmt::format("{} on {}: Redis answered: {}", op, spec.name, reply.str()), spec.key_template);
    }
    out.push_back(reply.copy());
  }
  return out;
}

}  // namespace keyspace::detail
