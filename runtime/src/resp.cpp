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

std::size_t encoded_size(CommandArgs args) noexcept {
  std::size_t bytes = 3 + decimal_digits(args.size());
  for (const std::string_view arg : args) bytes += 5 + decimal_digits(arg.size()) + arg.size();
  return bytes;
}

// Writes the command at `out`, which has room for encoded_size(args) bytes.
void encode(char* out, CommandArgs args) noexcept {
  out = put_header(out, '*', args.size());
  for (const std::string_view arg : args) {
    out = put_header(out, '$', arg.size());
    if (!arg.empty()) std::memcpy(out, arg.data(), arg.size());  // an empty view's data may be null
    out += arg.size();
    *out++ = '\r';
    *out++ = '\n';
  }
}

}  // namespace

void append_command(std::string& out, CommandArgs args) {
  const std::size_t bytes = encoded_size(args);
  const std::size_t at = out.size();
  // Geometric growth whatever the standard library does on resize(), so that queueing n
  // commands copies the buffer O(log n) times.
  if (out.capacity() - at < bytes) out.reserve(std::max({at + bytes, 2 * out.capacity(), std::size_t{256}}));
  out.resize(at + bytes);
  encode(out.data() + at, args);
}

void CommandBuffer::append(CommandArgs args) { encode(grow_by(encoded_size(args)), args); }

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
