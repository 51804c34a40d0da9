// libFuzzer entry point for the decoders of stored values (runtime/src/codec.cpp, queue.cpp, the
// codecs of schema types over the JSON and MessagePack readers, keyspace/codec/schema_codecs.hpp,
// and the nlohmann-based ones of keyspace/codec/json_codec.hpp with nesting.cpp): any writer of the same Redis can store any bytes under a
// key, so every decoder must end in a value or a keyspace::DecodeError. The first byte picks the
// decoder, the rest is the stored value. A crash, a sanitizer report, a hang, an exception of
// another type (which escapes and aborts), or a value that does not survive being written and read
// again is a bug. Built in a fuzz build (fuzz/CMakeLists.txt); `scripts/fuzz decoders` runs it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyspace/codec/codec.hpp"
#include "keyspace/codec/json_codec.hpp"
#include "keyspace/codec/schema_codecs.hpp"
#include "keyspace/errors.hpp"
#include "keyspace/key_spec.hpp"
#include "keyspace/kinds/queue.hpp"

namespace {

constexpr keyspace::KeySpec kSpec{"fuzz.value", "fuzz:{id}", std::chrono::milliseconds(0)};

void require(bool holds) {
  if (!holds) std::abort();
}

// A scalar codec decodes only its canonical spelling: what it takes, it writes back byte for byte.
template <class Codec>
void scalar(std::string_view stored) {
  const auto value = Codec::decode(stored, kSpec);
  require(Codec::encode(value) == stored);
}

// Doubles: every spelling from_chars takes decodes, and the text written reads back to the same
// bits (NaN's payload aside).
void floating(std::string_view stored) {
  const double value = keyspace::DoubleCodec::decode(stored, kSpec);
  const double again = keyspace::DoubleCodec::decode(keyspace::DoubleCodec::encode(value), kSpec);
  require(value != value ? again != again : std::memcmp(&value, &again, sizeof value) == 0);
}

// A structured codec's output is a fixed point after one round: written, read and written again,
// the bytes are the same (compared as bytes, so that NaN inside MessagePack compares too). What
// was written must decode: a DecodeError there is a bug, not a refusal.
template <template <class> class Codec, class T>
void structured(std::string_view stored) {
  const std::string written = Codec<T>::encode(Codec<T>::decode(stored, kSpec));
  try {
    require(Codec<T>::encode(Codec<T>::decode(written, kSpec)) == written);
  } catch (const keyspace::DecodeError&) {
    std::abort();
  }
}

template <template <class> class Codec>
void each_type(std::uint8_t pick, std::string_view stored) {
  switch (pick % 6) {
    case 0: return structured<Codec, std::vector<std::string>>(stored);
    case 1: return structured<Codec, std::map<std::string, std::int64_t>>(stored);
    case 2: return structured<Codec, std::vector<keyspace::Bytes>>(stored);
    case 3: return structured<Codec, std::map<std::string, std::vector<double>>>(stored);
    case 4: return structured<Codec, std::vector<keyspace::Timestamp>>(stored);
    default: return structured<Codec, nlohmann::json>(stored);  // any document, nesting bounded
  }
}

template <template <class> class Codec>
void each_schema_type(std::uint8_t pick, std::string_view stored) {
  switch (pick % 5) {
    case 0: return structured<Codec, std::vector<std::string>>(stored);
    case 1: return structured<Codec, std::map<std::string, std::int64_t>>(stored);
    case 2: return structured<Codec, std::vector<keyspace::Bytes>>(stored);
    case 3: return structured<Codec, std::map<std::string, std::vector<double>>>(stored);
    default: return structured<Codec, std::vector<std::vector<std::uint64_t>>>(stored);
  }
}

void base64(std::string_view stored) {
  std::string bytes;
  if (keyspace::base64_decode(stored, bytes)) require(keyspace::base64_encode(bytes) == stored);
}

void envelope(std::string_view stored) {
  const std::optional<std::string_view> payload = keyspace::queue::envelope_payload(stored);
  require(keyspace::queue::envelope_id(stored).size() <= keyspace::queue::kIdLength);
  if (payload) require(stored.size() == keyspace::queue::kIdLength + 1 + payload->size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t pick = data[0];
  const std::string_view stored(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    switch (pick % 10) {
      case 0: scalar<keyspace::Int64Codec>(stored); break;
      case 1: floating(stored); break;
      case 2: scalar<keyspace::BoolCodec>(stored); break;
      case 3: scalar<keyspace::TimestampCodec>(stored); break;
      case 4: base64(stored); break;
      case 5: envelope(stored); break;
      case 6: each_type<keyspace::JsonCodec>(pick / 10, stored); break;
      case 7: each_type<keyspace::MsgpackCodec>(pick / 10, stored); break;
      case 8: each_schema_type<keyspace::SchemaJsonCodec>(pick / 10, stored); break;
      default: each_schema_type<keyspace::SchemaMsgpackCodec>(pick / 10, stored); break;
    }
  } catch (const keyspace::DecodeError&) {
    // the typed error a service sees for a value it cannot read
  }
  return 0;
}
