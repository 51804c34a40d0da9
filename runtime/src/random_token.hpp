#pragma once
// Unguessable tokens from the operating system's CSPRNG (getrandom(2), /dev/urandom when the
// system call is unavailable): lock tokens, session ids. A general-purpose PRNG (mt19937,
// rand) is predictable from a few outputs and must never produce these.

#include <cstddef>
#include <string>

namespace keyspace {

// `bytes` random bytes as 2 * bytes lowercase hex digits (hex survives key escaping unchanged).
// Throws keyspace::Error when the system has no random bytes to give.
std::string random_hex(std::size_t bytes);

}  // namespace keyspace
