#pragma once
// keyspace::Batch: typed operations of any value, counter or flag accessor, queued and then sent
// in one round trip (a pipeline on one connection; to a Redis Cluster, one pipeline per node):
//
//   keyspace::Batch batch = keys.batch();
//   keyspace::Pending<std::optional<UserProfile>> user = keys.profile.user.get(batch, 42);
//   keyspace::Pending<std::int64_t> views = keys.stats.page_views.incr(batch, "home", day);
//   batch.execute();
//   use(user.get(), views.get());
//
// A pipeline is not a transaction: other clients' commands may run between the batch's
// commands, and each operation succeeds or fails on its own. `Pending::get()` returns the result
// or throws what the operation alone would have thrown (CommandError, DecodeError, ... naming
// the key template). When the round trip itself fails (ConnectionError, TimeoutError),
// `execute()` throws it and every pending result of the batch throws it too; a batch is never
// retried, since it may hold writes that already ran.
//
// Commands are written in the Redis protocol as they are queued, into one buffer sent as is;
// only the reply (as hiredis parsed it, never copied) is kept per operation, and `get()`
// decodes it in place (on each call). Nothing here is a template per accessor beyond a decode
// function, so a generated header with thousands of keys stays cheap to compile.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/detail/command_args.hpp"
#include "keyspace/detail/pipeline_layout.hpp"
#include "keyspace/detail/raw_reply.hpp"
#include "keyspace/detail/reply.hpp"
#include "keyspace/detail/reply_checks.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace {

namespace detail {

// The replies of one execution of a batch, shared by its Pending results.
struct BatchReplies {
  bool executed = false;
  std::exception_ptr failure;  // the round trip failed
  std::vector<RawReply> replies;

  // The reply of operation `index`: BatchError before execute(), the failure of the round trip,
  // or the CommandError of an error reply (naming the template of `spec`).
  const RawReply& reply(std::size_t index, const KeySpec& spec, std::string_view op) const;
};

}  // namespace detail

// The result of one queued operation, available after Batch::execute().
template <class T>
class Pending {
 public:
  using Decode = T (*)(const RawReply&, const KeySpec&);

  Pending(std::shared_ptr<const detail::BatchReplies> replies, std::size_t index, const KeySpec& spec,
          std::string_view op, Decode decode)
      : replies_(std::move(replies)), index_(index), spec_(&spec), op_(op), decode_(decode) {}

  // The result; throws the operation's error, or BatchError when the batch has not run yet.
  T get() const { return decode_(replies_->reply(index_, *spec_, op_), *spec_); }
  // Whether the batch has run (the operation may still have failed).
  bool executed() const noexcept { return replies_->executed; }

 private:
  std::shared_ptr<const detail::BatchReplies> replies_;
  std::size_t index_;
  const KeySpec* spec_;
  std::string_view op_;
  Decode decode_;
};

class Batch {
 public:
  explicit Batch(Client& client) : client_(&client), replies_(std::make_shared<detail::BatchReplies>()) {}

  // Sends every queued command in one round trip; the batch is empty afterwards (whether or not
  // the round trip succeeded) and can be filled again. Nothing is sent when it is empty.
  void execute();

  std::size_t size() const noexcept { return count_; }

  // For generated accessors: queues `args` (a whole command, written out at once, so the
  // arguments need not outlive the call) for the key of `spec`; `decode` turns its reply, when
  // not an error, into the result. `spec` and `op` must outlive the results (generated code
  // passes its constexpr spec and a string literal).
  template <class T>
  Pending<T> queue(const KeySpec& spec, std::string_view op, CommandArgs args, typename Pending<T>::Decode decode) {
    append(spec, args);
    return Pending<T>(replies_, count_ - 1, spec, op, decode);
  }

 private:
  void append(const KeySpec& spec, CommandArgs args);

  Client* client_;
  std::shared_ptr<detail::BatchReplies> replies_;
  std::string commands_;  // the queued commands, in the Redis protocol
  std::size_t count_ = 0;
  std::vector<std::string_view> templates_;  // of the queued commands; repeats next to each other dropped
  detail::PipelineLayout layout_;             // cluster clients only
};

// Queued counterparts of keyspace/kinds/ops.hpp, for generated accessors. Each sends the command the
// direct operation sends, and decodes the reply the same way.
namespace ops {

Pending<void> queue_set_raw(Batch& batch, const KeySpec& spec, std::string key, std::string bytes);
Pending<bool> queue_del(Batch& batch, const KeySpec& spec, std::string key);
Pending<bool> queue_exists(Batch& batch, const KeySpec& spec, std::string key);
// UNLINK (a cache's invalidate): true when the key existed.
Pending<bool> queue_unlink(Batch& batch, const KeySpec& spec, std::string key);
Pending<std::int64_t> queue_counter_add(Batch& batch, const KeySpec& spec, std::string key, std::int64_t by);
Pending<std::int64_t> queue_counter_get(Batch& batch, const KeySpec& spec, std::string key);
Pending<void> queue_flag_set(Batch& batch, const KeySpec& spec, std::string key);

template <class Codec>
std::optional<typename Codec::value_type> decode_get_reply(const RawReply& reply, const KeySpec& spec) {
  if (reply.is_nil()) return std::nullopt;
  if (reply.type() != Reply::Type::string) detail::throw_unexpected_reply(spec, "get", reply.copy());
  return Codec::decode(reply.str(), spec);
}

template <class Codec>
Pending<std::optional<typename Codec::value_type>> queue_get(Batch& batch, const KeySpec& spec, std::string key) {
  return batch.queue<std::optional<typename Codec::value_type>>(spec, "get", {"GET", key},
                                                                 &decode_get_reply<Codec>);
}

template <class Codec>
Pending<void> queue_set(Batch& batch, const KeySpec& spec, std::string key, const typename Codec::value_type& value) {
  return queue_set_raw(batch, spec, std::move(key), Codec::encode(value));
}

}  // namespace ops

}  // namespace keyspace
