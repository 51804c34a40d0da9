#include "resp.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace keyspace::detail {

namespace {

// A buffer that once held a large value is not kept at that size for the life of the
// connection.
constexpr std::size_t kKeptCapacity = 64 * 1024;

std::size_t decimal_digits(std::size_t n) noexcept {
  std::size_t digits = 1;
  for (; n >= 10; n /= 10) ++digits;
  return digits;
}

// Writes `<marker><n>\r\n` at `out` (room for it was made) and returns the end.
char* put_header(char* out, char marker, std::size_t n) noexcept {
  *out++ = marker;
  out = std::to_chars(out, out + decimal_digits(n), n).ptr;
  *out++ = '\r';
  *out++ = '\n';
  return out;
}

}  // namespace

void CommandBuffer::append(CommandArgs args) { append_args(args); }

void CommandBuffer::append(const std::vector<std::string>& args) { append_args(args); }

template <class Args>
void CommandBuffer::append_args(const Args& args) {
  std::size_t bytes = 3 + decimal_digits(args.size());
  for (const auto& arg : args) bytes += 5 + decimal_digits(arg.size()) + arg.size();
  char* out = grow_by(bytes);
  out = put_header(out, '*', args.size());
  for (const auto& arg : args) {
    out = put_header(out, '$', arg.size());
    if (!arg.empty()) std::memcpy(out, arg.data(), arg.size());  // an empty view's data may be null
    out += arg.size();
    *out++ = '\r';
    *out++ = '\n';
  }
}

char* CommandBuffer::grow_by(std::size_t bytes) {
  if (capacity_ - size_ < bytes) {
    const std::size_t capacity = std::max({size_ + bytes, 2 * capacity_, std::size_t{256}});
    std::unique_ptr<char[]> grown(new char[capacity]);
    if (size_ > 0) std::memcpy(grown.get(), data_.get(), size_);
    data_ = std::move(grown);
    capacity_ = capacity;
  }
  char* const out = data_.get() + size_;
  size_ += bytes;
  return out;
}

void CommandBuffer::clear() noexcept {
  size_ = 0;
  if (capacity_ > kKeptCapacity) {
    data_.reset();
    capacity_ = 0;
  }
}

}  // namespace keyspace::detail
