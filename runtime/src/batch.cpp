#include "keyspace/batch.hpp"

#include <set>

#include <fmt/format.h>

#include "keyspace/codec.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/ops.hpp"

namespace keyspace {

namespace detail {

const Reply& BatchReplies::reply(std::size_t index, const KeySpec& spec, std::string_view op) const {
  if (failure) std::rethrow_exception(failure);
  if (!executed) throw BatchError("keyspace::Pending::get() before Batch::execute()", spec.key_template);
  const Reply& reply = replies.at(index);
  if (reply.type == Reply::Type::error) {
    throw CommandError(fmt::format("{} on {} (in a batch): Redis answered: {}", op, spec.name, reply.str),
                       spec.key_template);
  }
  return reply;
}

}  // namespace detail

void Batch::execute() {
  if (commands_.empty()) return;
  const std::shared_ptr<detail::BatchReplies> replies = std::move(replies_);
  const std::vector<std::vector<std::string>> commands = std::move(commands_);
  const std::set<std::string_view> templates(templates_.begin(), templates_.end());
  replies_ = std::make_shared<detail::BatchReplies>();
  commands_.clear();
  templates_.clear();
  // The observer hears of one command "batch"; errors of the round trip name every template.
  const std::string all_templates = fmt::format("{}", fmt::join(templates, ", "));
  const KeySpec batch_spec{"batch", all_templates, std::chrono::milliseconds(0)};
  replies->executed = true;
  try {
    replies->replies = client_->execute_pipeline(batch_spec, "execute", commands);
  } catch (...) {
    replies->failure = std::current_exception();
    throw;
  }
}

}  // namespace keyspace

namespace keyspace::ops {

namespace {

// The same SET as the direct operations: the schema's TTL unless the key is persistent.
std::vector<std::string> set_command(const KeySpec& spec, std::string key, std::string bytes) {
  std::vector<std::string> args{"SET", std::move(key), std::move(bytes)};
  if (!spec.persistent()) {
    args.emplace_back("PX");
    args.push_back(std::to_string(spec.ttl.count()));
  }
  return args;
}

void accept_ok(const Reply&, const KeySpec&) {}

bool positive(const Reply& reply, const KeySpec& spec) { return detail::expect_integer(spec, "batch", reply) > 0; }

std::int64_t integer(const Reply& reply, const KeySpec& spec) { return detail::expect_integer(spec, "batch", reply); }

std::int64_t counter_value(const Reply& reply, const KeySpec& spec) {
  if (reply.is_nil()) return 0;
  if (reply.type != Reply::Type::string) detail::throw_unexpected_reply(spec, "counter_get", reply);
  return Int64Codec::decode(reply.str, spec);
}

}  // namespace

Pending<void> queue_set_raw(Batch& batch, const KeySpec& spec, std::string key, std::string bytes) {
  return batch.queue<void>(spec, "set", set_command(spec, std::move(key), std::move(bytes)), &accept_ok);
}

Pending<bool> queue_del(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<bool>(spec, "del", {"DEL", std::move(key)}, &positive);
}

Pending<bool> queue_exists(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<bool>(spec, "exists", {"EXISTS", std::move(key)}, &positive);
}

// EVAL rather than EVALSHA: a NOSCRIPT answer could only be retried after the whole pipeline.
Pending<std::int64_t> queue_counter_add(Batch& batch, const KeySpec& spec, std::string key, std::int64_t by) {
  if (spec.persistent()) {
    return batch.queue<std::int64_t>(spec, "counter_add", {"INCRBY", std::move(key), std::to_string(by)}, &integer);
  }
  return batch.queue<std::int64_t>(spec, "counter_add",
                                   {"EVAL", counter_add_script().source(), "1", std::move(key), std::to_string(by),
                                    std::to_string(spec.ttl.count())},
                                   &integer);
}

Pending<std::int64_t> queue_counter_get(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<std::int64_t>(spec, "counter_get", {"GET", std::move(key)}, &counter_value);
}

Pending<void> queue_flag_set(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<void>(spec, "flag_set", set_command(spec, std::move(key), "1"), &accept_ok);
}

}  // namespace keyspace::ops
