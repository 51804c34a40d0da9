#include "keyspace/kinds/stream.hpp"

#include <optional>
#include <utility>

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/kinds/collections.hpp"

namespace keyspace::collections {

namespace {

// MKSTREAM may create the stream, so the TTL is set in the same step. An existing group is an
// answer (false), not an error; other errors (WRONGTYPE) are passed on.
const Script& create_group_script() {
  static const Script script(
      "-- ARGV[1]: TTL ms ('0': persistent); ARGV[2]: group; ARGV[3]: start id\n"
      "local ttl = tonumber(ARGV[1])\n"
      "local created = redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[2], ARGV[3], 'MKSTREAM')\n"
      "if type(created) == 'table' and created.err then\n"
      "  if string.sub(created.err, 1, 9) == 'BUSYGROUP' then return 0 end\n"
      "  return created\n"
      "end\n"
      "if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end\n"
      "return 1\n");
  return script;
}

[[noreturn]] void throw_unexpected(const KeySpec& spec, std::string_view op) {
  throw CommandError(fmt::format("{} on {}: unexpected reply shape", op, spec.name), spec.key_template);
}

void require_name(const KeySpec& spec, std::string_view what, std::string_view name) {
  if (name.empty()) {
    throw InvalidKey(fmt::format("{}: the stream {} name must not be empty", spec.name, what), spec.key_template);
  }
}

// One entry: [id, [field, value, ...]]; the value is the field `v`.
RawStreamEntry parse_entry(const KeySpec& spec, std::string_view op, const Reply& entry) {
  if (entry.type != Reply::Type::array || entry.elements.size() != 2 ||
      entry.elements[0].type != Reply::Type::string) {
    throw_unexpected(spec, op);
  }
  const std::vector<std::string> fields = expect_strings(spec, op, entry.elements[1]);
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i] == kStreamValueField) return {entry.elements[0].str, fields[i + 1]};
  }
  throw DecodeError(fmt::format("stream entry {} of {} has no field '{}'", entry.elements[0].str, spec.name,
                                kStreamValueField),
                    spec.key_template);
}

// XREAD / XREADGROUP: nil when nothing is new, else [[key, [entry, ...]]] for the one stream read.
std::vector<RawStreamEntry> parse_read_reply(const KeySpec& spec, std::string_view op, const Reply& reply) {
  std::vector<RawStreamEntry> out;
  if (reply.is_nil()) return out;
  if (reply.type != Reply::Type::array) throw_unexpected(spec, op);
  for (const Reply& stream : reply.elements) {
    if (stream.type != Reply::Type::array || stream.elements.size() != 2 ||
        stream.elements[1].type != Reply::Type::array) {
      throw_unexpected(spec, op);
    }
    for (const Reply& entry : stream.elements[1].elements) out.push_back(parse_entry(spec, op, entry));
  }
  return out;
}

}  // namespace

std::string stream_add_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& value,
                           std::int64_t max_length) {
  std::vector<std::string> args;
  if (max_length > 0) args = {"MAXLEN", "~", std::to_string(max_length)};
  args.insert(args.end(), {"*", std::string(kStreamValueField), value});
  const Reply reply = write(client, spec, "add", key, "XADD", args);
  std::optional<std::string> id = expect_optional_string(spec, "add", reply);
  if (!id) throw_unexpected(spec, "add");
  return std::move(*id);
}

std::vector<RawStreamEntry> stream_read_raw(Client& client, const KeySpec& spec, const std::string& key,
                                            std::string_view after_id, std::size_t count) {
  if (count == 0) return {};
  const std::string count_text = std::to_string(count);
  const std::string id = after_id.empty() ? "0" : std::string(after_id);
  const Reply reply = detail::ClientAccess::execute(client, spec, "read", {"XREAD", "COUNT", count_text, "STREAMS", key, id});
  return parse_read_reply(spec, "read", reply);
}

bool stream_create_group(Client& client, const KeySpec& spec, const std::string& key, std::string_view group,
                         std::string_view start_id) {
  require_name(spec, "group", group);
  const std::string ttl = std::to_string(spec.persistent() ? 0 : spec.ttl.count());
  const std::string_view start = start_id.empty() ? std::string_view("$") : start_id;
  const Reply reply = detail::ClientAccess::run_script(client, spec, "create_group", create_group_script(), {key}, {ttl, group, start});
  return expect_integer(spec, "create_group", reply) == 1;
}

std::vector<RawStreamEntry> stream_read_group_raw(Client& client, const KeySpec& spec, const std::string& key,
                                                  std::string_view group, std::string_view consumer,
                                                  std::size_t count, std::chrono::milliseconds block) {
  require_name(spec, "group", group);
  require_name(spec, "consumer", consumer);
  if (count == 0) return {};
  const std::string count_text = std::to_string(count);
  std::vector<std::string_view> args{"XREADGROUP", "GROUP", group, consumer, "COUNT", count_text};
  if (block.count() <= 0) {
    args.insert(args.end(), {"STREAMS", key, ">"});
    return parse_read_reply(spec, "read_group", detail::ClientAccess::execute(client, spec, "read_group", args));
  }
  const std::string block_text = std::to_string(block.count());
  args.insert(args.end(), {"BLOCK", block_text, "STREAMS", key, ">"});
  return parse_read_reply(spec, "read_group", detail::ClientAccess::execute_blocking(client, spec, "read_group", args, block));
}

std::int64_t stream_ack(Client& client, const KeySpec& spec, const std::string& key, std::string_view group,
                        const std::vector<std::string>& ids) {
  require_name(spec, "group", group);
  if (ids.empty()) return 0;
  std::vector<std::string_view> args{"XACK", key, group};
  args.insert(args.end(), ids.begin(), ids.end());
  return expect_integer(spec, "ack", detail::ClientAccess::execute(client, spec, "ack", args));
}

std::int64_t stream_size(Client& client, const KeySpec& spec, const std::string& key) {
  return expect_integer(spec, "size", detail::ClientAccess::execute(client, spec, "size", {"XLEN", key}));
}

}  // namespace keyspace::collections
