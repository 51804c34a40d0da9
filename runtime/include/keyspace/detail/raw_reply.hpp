#pragma once
// Runtime internals (keyspace/detail/): the wire plumbing under the kinds' operations, not an
// API of its own; it changes whenever the runtime API version (keyspace/version.hpp) does.
// A Redis reply as hiredis parsed it, read in place: the hot operations (a value's get) decode
// straight from the bytes hiredis received instead of copying them into a keyspace::Reply
// first. It owns the hiredis reply (hiredis stays out of public headers: the pointer is
// opaque) and frees it when it goes.

#include <cstdint>
#include <string_view>

#include "keyspace/detail/reply.hpp"

namespace keyspace {

namespace detail {
class Connection;
}  // namespace detail

class RawReply {
 public:
  RawReply() noexcept = default;  // a nil reply
  RawReply(RawReply&& other) noexcept : raw_(other.raw_) { other.raw_ = nullptr; }
  RawReply& operator=(RawReply&& other) noexcept;
  RawReply(const RawReply&) = delete;
  RawReply& operator=(const RawReply&) = delete;
  ~RawReply();

  Reply::Type type() const noexcept;
  bool is_nil() const noexcept { return type() == Reply::Type::nil; }
  // The bytes of a string, status or error reply (empty for other types); valid while this
  // RawReply lives.
  std::string_view str() const noexcept;
  std::int64_t integer() const noexcept;  // of an integer reply; 0 otherwise
  // The owned form (arrays included), for code that keeps or walks replies.
  Reply copy() const;

 private:
  friend class detail::Connection;
  explicit RawReply(void* hiredis_reply) noexcept : raw_(hiredis_reply) {}

  void* raw_ = nullptr;  // redisReply*
};

}  // namespace keyspace
