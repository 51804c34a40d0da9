#pragma once
// keyspace::Batch: typed operations of any value, counter or flag accessor, queued and then sent
// in one round trip (a pipeline on one connection):
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

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/key_spec.hpp"
#include "keyspace/reply.hpp"

namespace keyspace {

namespace detail {

template <class T>
struct PendingSlot {
  using stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
  std::optional<stored> value;
  std::exception_ptr error;
};

// Throw the CommandError a single command would have thrown for an error reply, and for a reply
// of a type the operation does not expect.
[[noreturn]] void throw_batch_error_reply(const KeySpec& spec, std::string_view op, const Reply& reply);
[[noreturn]] void throw_unexpected_reply(const KeySpec& spec, std::string_view op, const Reply& reply);

}  // namespace detail

// The result of one queued operation, available after Batch::execute().
template <class T>
class Pending {
 public:
  // The result; throws the operation's error, or BatchError when the batch has not run yet.
  decltype(auto) get() const {
    if (slot_->error) std::rethrow_exception(slot_->error);
    if (!slot_->value) throw BatchError("keyspace::Pending::get() before Batch::execute()");
    if constexpr (std::is_void_v<T>) {
      return;
    } else {
      return static_cast<const T&>(*slot_->value);
    }
  }
  // Whether the batch has run and this operation succeeded.
  bool ready() const noexcept { return slot_->value.has_value(); }

 private:
  friend class Batch;
  explicit Pending(std::shared_ptr<detail::PendingSlot<T>> slot) : slot_(std::move(slot)) {}
  std::shared_ptr<detail::PendingSlot<T>> slot_;
};

class Batch {
 public:
  explicit Batch(Client& client) noexcept : client_(&client) {}

  // Sends every queued command in one round trip and hands each reply to its Pending result;
  // the batch is empty afterwards and can be filled again. Nothing is sent when it is empty.
  void execute();

  std::size_t size() const noexcept { return entries_.size(); }
  Client& client() const noexcept { return *client_; }

  // For generated accessors: queues `args` (a whole command) for the key of `spec`; `decode`
  // turns a reply that is not an error into the result (for Pending<void>, it checks it).
  // `spec` and `op` must outlive the batch (generated code passes its constexpr spec and a
  // string literal).
  template <class T, class Decode>
  Pending<T> queue(const KeySpec& spec, std::string_view op, std::vector<std::string> args, Decode decode) {
    auto slot = std::make_shared<detail::PendingSlot<T>>();
    Entry entry;
    entry.spec = &spec;
    entry.args = std::move(args);
    entry.deliver = [slot, &spec, op, decode = std::move(decode)](const Reply* reply, std::exception_ptr failure) {
      if (failure) {
        slot->error = failure;
        return;
      }
      try {
        if (reply->type == Reply::Type::error) detail::throw_batch_error_reply(spec, op, *reply);
        if constexpr (std::is_void_v<T>) {
          decode(*reply);
          slot->value.emplace();
        } else {
          slot->value.emplace(decode(*reply));
        }
      } catch (...) {
        slot->error = std::current_exception();
      }
    };
    entries_.push_back(std::move(entry));
    return Pending<T>(std::move(slot));
  }

 private:
  struct Entry {
    const KeySpec* spec = nullptr;
    std::vector<std::string> args;
    // Called once, with the reply or with the failure of the whole round trip.
    std::function<void(const Reply*, std::exception_ptr)> deliver;
  };

  Client* client_;
  std::vector<Entry> entries_;
};

// Queued counterparts of keyspace/ops.hpp, for generated accessors. Each sends the command the
// direct operation sends, and decodes the reply the same way.
namespace ops {

std::vector<std::string> set_command(const KeySpec& spec, std::string key, std::string bytes);
Pending<void> queue_set_raw(Batch& batch, const KeySpec& spec, std::string key, std::string bytes);
Pending<bool> queue_del(Batch& batch, const KeySpec& spec, std::string key);
Pending<bool> queue_exists(Batch& batch, const KeySpec& spec, std::string key);
Pending<std::int64_t> queue_counter_add(Batch& batch, const KeySpec& spec, std::string key, std::int64_t by);
Pending<std::int64_t> queue_counter_get(Batch& batch, const KeySpec& spec, std::string key);
Pending<void> queue_flag_set(Batch& batch, const KeySpec& spec, std::string key);

template <class Codec>
Pending<std::optional<typename Codec::value_type>> queue_get(Batch& batch, const KeySpec& spec, std::string key) {
  using Value = std::optional<typename Codec::value_type>;
  return batch.queue<Value>(spec, "get", {"GET", std::move(key)}, [&spec](const Reply& reply) -> Value {
    if (reply.is_nil()) return std::nullopt;
    if (reply.type != Reply::Type::string) detail::throw_unexpected_reply(spec, "get", reply);
    return Codec::decode(reply.str, spec);
  });
}

template <class Codec>
Pending<void> queue_set(Batch& batch, const KeySpec& spec, std::string key, const typename Codec::value_type& value) {
  return queue_set_raw(batch, spec, std::move(key), Codec::encode(value));
}

}  // namespace ops

}  // namespace keyspace
