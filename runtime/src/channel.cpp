#include "keyspace/kinds/channel.hpp"

#include <fmt/format.h>

#include "keyspace/detail/client_access.hpp"
#include "keyspace/errors.hpp"
#include "subscriber.hpp"

namespace keyspace {

Subscription::Subscription() noexcept = default;

namespace {

// A cluster subscriber tries the master of the channel's slot first (see subscriber.cpp); when
// the slot map cannot be read now, the seeds in their order.
Options subscriber_options(Client& client, const KeySpec& spec, const std::string& channel) {
  Options options = client.options();
  if (options.topology == Topology::sentinel) {
    // The master now; after a failover the old master, as a replica, still carries every
    // message (PUBLISH is replicated to replicas).
    const Address master = detail::ClientAccess::cluster_node_of(client, spec, channel);
    options.topology = Topology::standalone;
    options.host = master.host;
    options.port = master.port;
    return options;
  }
  if (options.topology != Topology::cluster) return options;
  if (options.seeds.empty()) options.seeds.push_back({options.host, options.port});
  try {
    options.seeds.insert(options.seeds.begin(), detail::ClientAccess::cluster_node_of(client, spec, channel));
  } catch (const ConnectionError&) {
  }
  return options;
}

}  // namespace

Subscription::Subscription(Client& client, const KeySpec& spec, std::string channel, MessageHandler on_message,
                           ErrorHandler on_error)
    : subscriber_(std::make_unique<detail::Subscriber>(subscriber_options(client, spec, channel), spec,
                                                       std::move(channel), std::move(on_message),
                                                       std::move(on_error))) {}

Subscription::~Subscription() = default;
Subscription::Subscription(Subscription&&) noexcept = default;
Subscription& Subscription::operator=(Subscription&&) noexcept = default;

bool Subscription::subscribed() const noexcept { return subscriber_ && subscriber_->subscribed(); }

bool Subscription::wait_until_subscribed(std::chrono::milliseconds timeout) const {
  return subscriber_ && subscriber_->wait_until_subscribed(timeout);
}

void Subscription::stop() noexcept {
  if (subscriber_) subscriber_->stop();
}

const std::string& Subscription::channel() const noexcept {
  static const std::string none;
  return subscriber_ ? subscriber_->channel() : none;
}

namespace channel {

std::int64_t publish(Client& client, const KeySpec& spec, const std::string& channel, std::string_view payload) {
  const Reply reply = detail::ClientAccess::execute(client, spec, "publish", {"PUBLISH", channel, payload});
  if (reply.type != Reply::Type::integer) {
    throw CommandError(fmt::format("publish on {}: unexpected reply type {}", spec.name, static_cast<int>(reply.type)),
                       spec.key_template);
  }
  return reply.integer;
}

}  // namespace channel
}  // namespace keyspace
