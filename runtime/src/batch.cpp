#include "keyspace/batch.hpp"

#include <set>

#include <fmt/format.h>

#include "keyspace/codec.hpp"
#include "keyspace/ops.hpp"

namespace keyspace {

namespace detail {

void throw_batch_error_reply(const KeySpec& spec, std::string_view op, const Reply& reply) {
  throw CommandError(fmt::format("{} on {} (in a batch): Redis answered: {}", op, spec.name, reply.str),
                     spec.key_template);
}

void throw_unexpected_reply(const KeySpec& spec, std::string_view op, const Reply& reply) {
  throw CommandError(
      fmt::format("{} on {} (in a batch): unexpected reply type {}", op, spec.name, static_cast<int>(reply.type)),
      spec.key_template);
}

}  // namespace detail

void Batch::execute() {
  if (entries_.empty()) return;
  std::vector<Entry> entries = std::move(entries_);
  entries_.clear();
  std::vector<std::vector<std::string>> commands;
  commands.reserve(entries.size());
  std::set<std::string_view> templates;
  for (Entry& entry : entries) {
    commands.push_back(std::move(entry.args));
    templates.insert(entry.spec->key_template);
  }
  // The observer hears of one command "batch"; errors of the round trip name every template.
  const std::string all_templates = fmt::format("{}", fmt::join(templates, ", "));
  const KeySpec batch_spec{"batch", all_templates, std::chrono::milliseconds(0)};
  std::vector<Reply> replies;
  try {
    replies = client_->execute_pipeline(batch_spec, "execute", commands);
  } catch (...) {
    for (Entry& entry : entries) entry.deliver(nullptr, std::current_exception());
    throw;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) entries[i].deliver(&replies[i], nullptr);
}

}  // namespace keyspace

namespace keyspace::ops {

namespace {

std::int64_t integer_of(const KeySpec& spec, std::string_view op, const Reply& reply) {
  if (reply.type != Reply::Type::integer) detail::throw_unexpected_reply(spec, op, reply);
  return reply.integer;
}

}  // namespace

// The same SET as the direct operations: the schema's TTL unless the key is persistent.
std::vector<std::string> set_command(const KeySpec& spec, std::string key, std::string bytes) {
  std::vector<std::string> args{"SET", std::move(key), std::move(bytes)};
  if (!spec.persistent()) {
    args.emplace_back("PX");
    args.push_back(std::to_string(spec.ttl.count()));
  }
  return args;
}

Pending<void> queue_set_raw(Batch& batch, const KeySpec& spec, std::string key, std::string bytes) {
  return batch.queue<void>(spec, "set", set_command(spec, std::move(key), std::move(bytes)), [](const Reply&) {});
}

Pending<bool> queue_del(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<bool>(spec, "del", {"DEL", std::move(key)},
                           [&spec](const Reply& reply) { return integer_of(spec, "del", reply) > 0; });
}

Pending<bool> queue_exists(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<bool>(spec, "exists", {"EXISTS", std::move(key)},
                           [&spec](const Reply& reply) { return integer_of(spec, "exists", reply) > 0; });
}

// EVAL rather than EVALSHA: a NOSCRIPT answer could only be retried after the whole pipeline.
Pending<std::int64_t> queue_counter_add(Batch& batch, const KeySpec& spec, std::string key, std::int64_t by) {
  const auto decode = [&spec](const Reply& reply) { return integer_of(spec, "counter_add", reply); };
  if (spec.persistent()) {
    return batch.queue<std::int64_t>(spec, "counter_add", {"INCRBY", std::move(key), std::to_string(by)}, decode);
  }
  return batch.queue<std::int64_t>(spec, "counter_add",
                                   {"EVAL", counter_add_script().source(), "1", std::move(key), std::to_string(by),
                                    std::to_string(spec.ttl.count())},
                                   decode);
}

Pending<std::int64_t> queue_counter_get(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<std::int64_t>(spec, "counter_get", {"GET", std::move(key)}, [&spec](const Reply& reply) {
    if (reply.is_nil()) return std::int64_t{0};
    if (reply.type != Reply::Type::string) detail::throw_unexpected_reply(spec, "counter_get", reply);
    return Int64Codec::decode(reply.str, spec);
  });
}

Pending<void> queue_flag_set(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<void>(spec, "flag_set", set_command(spec, std::move(key), "1"), [](const Reply&) {});
}

}  // namespace keyspace::ops
