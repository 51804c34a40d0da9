#include "random_token.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "keyspace/errors.hpp"

namespace keyspace {
namespace {

// getrandom(2) blocks only until the kernel's pool is first seeded (early boot), never after.
bool fill_from_getrandom(unsigned char* out, std::size_t size) {
  std::size_t filled = 0;
  while (filled < size) {
    const ssize_t n = getrandom(out + filled, size - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;  // ENOSYS (old kernel, seccomp): fall back to the device
    filled += static_cast<std::size_t>(n);
  }
  return true;
}

bool fill_from_urandom(unsigned char* out, std::size_t size) {
  std::FILE* device = std::fopen("/dev/urandom", "rb");
  if (!device) return false;
  const std::size_t read = std::fread(out, 1, size, device);
  std::fclose(device);
  return read == size;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (!fill_from_getrandom(raw.data(), raw.size()) && !fill_from_urandom(raw.data(), raw.size())) {
    throw Error(fmt::format("no random bytes from the operating system (errno {})", errno));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes);
  for (unsigned char b : raw) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0f];
  }
  return out;
}

}  // namespace keyspace
