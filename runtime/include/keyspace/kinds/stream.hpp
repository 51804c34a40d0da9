#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// The operations of kind stream. Each entry holds the encoded value in one field, `v`.
//
// XADD (with `MAXLEN ~ max_length` when the schema sets max_length) and XGROUP CREATE ... MKSTREAM
// run as scripts that PEXPIRE the key in the same step, so a stream never exists without its TTL.
// Consumer-group bookkeeping (XREADGROUP, XACK) changes no data and leaves the TTL as it is.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"

namespace keyspace::collections {

// The field of a stream entry that holds the encoded value.
inline constexpr std::string_view kStreamValueField = "v";

template <class T>
struct StreamEntry {
  std::string id;  // "<milliseconds>-<sequence>", as Redis assigned it
  T value;
};

struct RawStreamEntry {
  std::string id;
  std::string value;
};

// XADD key [MAXLEN ~ max_length] * v <value>, then PEXPIRE; the new entry's id. max_length 0: no cap.
std::string stream_add_raw(Client& client, const KeySpec& spec, const std::string& key, const std::string& value,
                           std::int64_t max_length);
// XREAD COUNT count STREAMS key after_id: entries with ids above after_id ("0": from the start).
std::vector<RawStreamEntry> stream_read_raw(Client& client, const KeySpec& spec, const std::string& key,
                                            std::string_view after_id, std::size_t count);
// XGROUP CREATE key group start_id MKSTREAM, then PEXPIRE; false when the group already exists.
bool stream_create_group(Client& client, const KeySpec& spec, const std::string& key, std::string_view group,
                         std::string_view start_id);
// XREADGROUP GROUP group consumer COUNT count [BLOCK ms] STREAMS key >: entries never delivered to
// the group, now pending for `consumer` until acknowledged. Blocks up to `block` when it is > 0.
std::vector<RawStreamEntry> stream_read_group_raw(Client& client, const KeySpec& spec, const std::string& key,
                                                  std::string_view group, std::string_view consumer,
                                                  std::size_t count, std::chrono::milliseconds block);
// XACK; the number of entries that were pending and are acknowledged now.
std::int64_t stream_ack(Client& client, const KeySpec& spec, const std::string& key, std::string_view group,
                        const std::vector<std::string>& ids);
std::int64_t stream_size(Client& client, const KeySpec& spec, const std::string& key);

template <class Codec>
std::vector<StreamEntry<typename Codec::value_type>> decode_entries(const std::vector<RawStreamEntry>& raw,
                                                                    const KeySpec& spec) {
  std::vector<StreamEntry<typename Codec::value_type>> out;
  out.reserve(raw.size());
  for (const RawStreamEntry& entry : raw) out.push_back({entry.id, Codec::decode(entry.value, spec)});
  return out;
}

template <class Codec>
std::vector<StreamEntry<typename Codec::value_type>> stream_read(Client& client, const KeySpec& spec,
                                                                 const std::string& key, std::string_view after_id,
                                                                 std::size_t count) {
  return decode_entries<Codec>(stream_read_raw(client, spec, key, after_id, count), spec);
}

template <class Codec>
std::vector<StreamEntry<typename Codec::value_type>> stream_read_group(
    Client& client, const KeySpec& spec, const std::string& key, std::string_view group,
    std::string_view consumer, std::size_t count, std::chrono::milliseconds block) {
  return decode_entries<Codec>(stream_read_group_raw(client, spec, key, group, consumer, count, block), spec);
}

}  // namespace keyspace::collections
