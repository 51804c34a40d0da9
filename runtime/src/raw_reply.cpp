#include "keyspace/detail/raw_reply.hpp"

#include <cstddef>

#include <hiredis/hiredis.h>

namespace keyspace {

namespace {

const redisReply* as_reply(const void* raw) noexcept { return static_cast<const redisReply*>(raw); }

Reply::Type type_of(const redisReply& raw) noexcept {
  switch (raw.type) {
    case REDIS_REPLY_STRING: return Reply::Type::string;
    case REDIS_REPLY_STATUS: return Reply::Type::status;
    case REDIS_REPLY_ERROR: return Reply::Type::error;
    case REDIS_REPLY_INTEGER: return Reply::Type::integer;
    case REDIS_REPLY_ARRAY: return Reply::Type::array;
    default: return Reply::Type::nil;  // REDIS_REPLY_NIL
  }
}

Reply convert(const redisReply& raw) {
  Reply reply;
  reply.type = type_of(raw);
  switch (reply.type) {
    case Reply::Type::string:
    case Reply::Type::status:
    case Reply::Type::error:
      reply.str.assign(raw.str, raw.len);
      break;
    case Reply::Type::integer:
      reply.integer = raw.integer;
      break;
    case Reply::Type::array:
      reply.elements.reserve(raw.elements);
      for (std::size_t i = 0; i < raw.elements; ++i) reply.elements.push_back(convert(*raw.element[i]));
      break;
    case Reply::Type::nil:
      break;
  }
  return reply;
}

}  // namespace

RawReply& RawReply::operator=(RawReply&& other) noexcept {
  if (this != &other) {
    if (raw_ != nullptr) freeReplyObject(raw_);
    raw_ = other.raw_;
    other.raw_ = nullptr;
  }
  return *this;
}

RawReply::~RawReply() {
  if (raw_ != nullptr) freeReplyObject(raw_);
}

Reply::Type RawReply::type() const noexcept { return raw_ != nullptr ? type_of(*as_reply(raw_)) : Reply::Type::nil; }

std::string_view RawReply::str() const noexcept {
  if (raw_ == nullptr) return {};
  const redisReply& raw = *as_reply(raw_);
  const Reply::Type t = type_of(raw);
  if (t != Reply::Type::string && t != Reply::Type::status && t != Reply::Type::error) return {};
  return {raw.str, raw.len};
}

std::int64_t RawReply::integer() const noexcept {
  return raw_ != nullptr && as_reply(raw_)->type == REDIS_REPLY_INTEGER ? as_reply(raw_)->integer : 0;
}

Reply RawReply::copy() const { return raw_ != nullptr ? convert(*as_reply(raw_)) : Reply{}; }

}  // namespace keyspace
