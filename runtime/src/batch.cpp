#include "keyspace/batch.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "keyspace/codec/codec.hpp"
#include "keyspace/detail/client_access.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/kinds/ops.hpp"
#include "resp.hpp"
#include "slot.hpp"

namespace keyspace {

namespace detail {

const RawReply& BatchReplies::reply(std::size_t index, const KeySpec& spec, std::string_view op) const {
  if (failure) std::rethrow_exception(failure);
  if (!executed) throw BatchError("keyspace::Pending::get() before Batch::execute()", spec.key_template);
  const RawReply& reply = replies.at(index);
  if (reply.type() == Reply::Type::error) {
    throw CommandError(fmt::format("{} on {} (in a batch): Redis answered: {}", op, spec.name, reply.str()),
                       spec.key_template);
  }
  return reply;
}

}  // namespace detail

void Batch::append(const KeySpec& spec, CommandArgs args) {
  detail::append_command(commands_, args);
  ++count_;
  // A cluster client sends each command to the node serving its key: it needs to know where
  // each command ends and which slot it names.
  if (client_->options().topology == Topology::cluster) {
    const std::optional<std::string_view> key = detail::routing_key(args);
    layout_.add(commands_.size(), key ? detail::key_slot(*key) : 0);
  }
  if (templates_.empty() || templates_.back() != spec.key_template) templates_.push_back(spec.key_template);
}

void Batch::execute() {
  if (count_ == 0) return;
  const std::shared_ptr<detail::BatchReplies> replies = std::move(replies_);
  const std::size_t count = count_;
  std::vector<std::string_view> templates = std::move(templates_);
  const detail::PipelineLayout layout = std::move(layout_);
  layout_.clear();
  replies_ = std::make_shared<detail::BatchReplies>();
  count_ = 0;
  templates_.clear();
  // The buffer is emptied however the round trip ends, and keeps its allocation for the next
  // commands queued on this batch.
  struct Clear {
    std::string& commands;
    ~Clear() { commands.clear(); }
  } clear{commands_};
  const std::string_view commands = commands_;
  std::sort(templates.begin(), templates.end());
  templates.erase(std::unique(templates.begin(), templates.end()), templates.end());
  // The observer hears of one command "batch"; errors of the round trip name every template.
  const std::string all_templates = fmt::format("{}", fmt::join(templates, ", "));
  const KeySpec batch_spec{"batch", all_templates, std::chrono::milliseconds(0)};
  replies->executed = true;
  try {
    replies->replies = detail::ClientAccess::execute_pipeline(*client_, batch_spec, "execute", commands, count, layout);
  } catch (...) {
    replies->failure = std::current_exception();
    throw;
  }
}

}  // namespace keyspace

namespace keyspace::ops {

namespace {

// The same SET as the direct operations: the schema's TTL unless the key is persistent.
template <class T>
Pending<T> queue_set_command(Batch& batch, const KeySpec& spec, std::string_view op, std::string_view key,
                             std::string_view bytes, typename Pending<T>::Decode decode) {
  if (spec.persistent()) return batch.queue<T>(spec, op, {"SET", key, bytes}, decode);
  const std::string ttl = std::to_string(spec.ttl.count());
  return batch.queue<T>(spec, op, {"SET", key, bytes, "PX", ttl}, decode);
}

void accept_ok(const RawReply&, const KeySpec&) {}

std::int64_t integer(const RawReply& reply, const KeySpec& spec) {
  if (reply.type() != Reply::Type::integer) return detail::expect_integer(spec, "batch", reply.copy());
  return reply.integer();
}

bool positive(const RawReply& reply, const KeySpec& spec) { return integer(reply, spec) > 0; }

std::int64_t counter_value(const RawReply& reply, const KeySpec& spec) {
  if (reply.is_nil()) return 0;
  if (reply.type() != Reply::Type::string) detail::throw_unexpected_reply(spec, "counter_get", reply.copy());
  return Int64Codec::decode(reply.str(), spec);
}

}  // namespace

Pending<void> queue_set_raw(Batch& batch, const KeySpec& spec, std::string key, std::string bytes) {
  return queue_set_command<void>(batch, spec, "set", key, bytes, &accept_ok);
}

Pending<bool> queue_del(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<bool>(spec, "del", {"DEL", key}, &positive);
}

Pending<bool> queue_unlink(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<bool>(spec, "invalidate", {"UNLINK", key}, &positive);
}

Pending<bool> queue_exists(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<bool>(spec, "exists", {"EXISTS", key}, &positive);
}

// EVAL rather than EVALSHA: a NOSCRIPT answer could only be retried after the whole pipeline.
Pending<std::int64_t> queue_counter_add(Batch& batch, const KeySpec& spec, std::string key, std::int64_t by) {
  if (spec.persistent()) {
    const std::string amount = std::to_string(by);
    return batch.queue<std::int64_t>(spec, "counter_add", {"INCRBY", key, amount}, &integer);
  }
  const std::string amount = std::to_string(by);
  const std::string ttl = std::to_string(spec.ttl.count());
  return batch.queue<std::int64_t>(spec, "counter_add", {"EVAL", counter_add_script().source(), "1", key, amount, ttl},
                                   &integer);
}

Pending<std::int64_t> queue_counter_get(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<std::int64_t>(spec, "counter_get", {"GET", key}, &counter_value);
}

Pending<void> queue_flag_set(Batch& batch, const KeySpec& spec, std::string key) {
  return queue_set_command<void>(batch, spec, "flag_set", key, "1", &accept_ok);
}

}  // namespace keyspace::ops
