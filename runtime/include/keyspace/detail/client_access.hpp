#pragma once
// Runtime internals (keyspace/detail/): the wire plumbing under the kinds' operations, not an
// API of its own; it changes whenever the runtime API version (keyspace/version.hpp) does.
//
// The commands the kinds' operations send through a Client: one command, a blocking one, a
// pipeline of pre-encoded commands, a script, and the cache outcomes they report. Client keeps
// these private, so that service code sees only what it is meant to call.

#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

#include "keyspace/client.hpp"

namespace keyspace::detail {

struct ClientAccess {
  static Reply execute(Client& client, const KeySpec& spec, std::string_view op, CommandArgs args) {
    return client.execute(spec, op, args);
  }
  static RawReply execute_raw(Client& client, const KeySpec& spec, std::string_view op, CommandArgs args) {
    return client.execute_raw(spec, op, args);
  }
  static Reply execute_blocking(Client& client, const KeySpec& spec, std::string_view op, CommandArgs args,
                                std::chrono::milliseconds block) {
    return client.execute_blocking(spec, op, args, block);
  }
  static std::vector<RawReply> execute_pipeline(Client& client, const KeySpec& spec, std::string_view op,
                                                std::string_view commands, std::size_t count,
                                                const PipelineLayout& layout) {
    return client.execute_pipeline(spec, op, commands, count, layout);
  }
  static std::vector<Address> cluster_masters(Client& client) { return client.cluster_masters(); }
  static Address cluster_node_of(Client& client, const KeySpec& spec, std::string_view key) {
    return client.cluster_node_of(spec, key);
  }
  static Reply execute_at(Client& client, const Address& address, const KeySpec& spec, std::string_view op,
                          CommandArgs args) {
    return client.execute_at(address, spec, op, args);
  }
  static Reply run_script(Client& client, const KeySpec& spec, std::string_view op, const Script& script,
                          CommandArgs keys, CommandArgs args) {
    return client.run_script(spec, op, script, keys, args);
  }
  static void report_cache(const Client& client, const KeySpec& spec, CacheOutcome outcome) noexcept {
    client.report_cache(spec, outcome);
  }
};

}  // namespace keyspace::detail
