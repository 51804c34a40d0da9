#include "subscriber.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string_view>
#include <system_error>
#include <vector>

#include <csignal>

#include <poll.h>
#include <pthread.h>
#include <sys/time.h>

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include "keyspace/errors.hpp"

namespace keyspace::detail {

namespace {

// How often the thread looks for a stop request while no message arrives, and the bounds of the
// pause between reconnection attempts (doubling from the first to the last).
constexpr int kPollMillis = 100;
constexpr std::chrono::milliseconds kFirstBackoff{50};
constexpr std::chrono::milliseconds kMaxBackoff{2000};

std::string endpoint_of(const Options& options) {
  if (!options.unix_socket.empty()) return "unix:" + options.unix_socket;
  return fmt::format("{}:{}", options.host, options.port);
}

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(duration.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((duration.count() % 1000) * 1000);
  return tv;
}

struct ContextDeleter {
  void operator()(redisContext* context) const noexcept { redisFree(context); }
};
using Link = std::unique_ptr<redisContext, ContextDeleter>;

struct ReplyDeleter {
  void operator()(redisReply* reply) const noexcept { freeReplyObject(reply); }
};
using OwnedReply = std::unique_ptr<redisReply, ReplyDeleter>;

}  // namespace

struct SubscriberState {
  Options options;
  KeySpec spec;
  std::string channel;
  Subscription::MessageHandler on_message;
  Subscription::ErrorHandler on_error;
  std::string endpoint;
  std::size_t node = 0;  // cluster: the seed the last connection went to

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  bool stopping = false;
  bool subscribed = false;

  bool stop_requested() const {
    std::lock_guard<std::mutex> lock(mutex);
    return stopping;
  }
  void set_subscribed(bool value) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      subscribed = value;
    }
    changed.notify_all();
  }
  // Never lets an exception out: the thread must survive whatever a handler does.
  void report(const std::exception& error) const noexcept {
    if (!on_error) return;
    try {
      on_error(error);
    } catch (...) {
    }
  }

  [[noreturn]] void throw_link_error(const redisContext* context, std::string_view what) const {
    const std::string_view detail = context != nullptr && context->err != 0 ? context->errstr : "unknown error";
    throw ConnectionError(fmt::format("subscribe on {}: {} {} ({})", spec.name, what, endpoint, detail),
                          spec.key_template);
  }
};

namespace {

// One command on a connection that is not subscribed yet (AUTH, SELECT, SUBSCRIBE).
OwnedReply command(const SubscriberState& state, redisContext* link, const std::vector<std::string_view>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (std::string_view arg : args) {
    argv.push_back(arg.data() != nullptr ? arg.data() : "");
    lengths.push_back(arg.size());
  }
  void* raw = redisCommandArgv(link, static_cast<int>(argv.size()), argv.data(), lengths.data());
  if (raw == nullptr) state.throw_link_error(link, "connection lost to");
  OwnedReply reply(static_cast<redisReply*>(raw));
  if (reply->type == REDIS_REPLY_ERROR) {
    const std::string message = fmt::format("subscribe on {}: {} refused by {}: {}", state.spec.name, args.front(),
                                            state.endpoint, std::string_view(reply->str, reply->len));
    if (args.front() == "AUTH") throw AuthError(message, state.spec.key_template);
    throw CommandError(message, state.spec.key_template);
  }
  return reply;
}

Link connect(const SubscriberState& state) {
  const Options& o = state.options;
  const bool bounded = o.connect_timeout.count() > 0;
  const timeval tv = to_timeval(o.connect_timeout);
  redisContext* raw = nullptr;
  if (!o.unix_socket.empty()) {
    raw = bounded ? redisConnectUnixWithTimeout(o.unix_socket.c_str(), tv) : redisConnectUnix(o.unix_socket.c_str());
  } else {
    raw = bounded ? redisConnectWithTimeout(o.host.c_str(), o.port, tv) : redisConnect(o.host.c_str(), o.port);
  }
  Link link(raw);
  if (!link || link->err != 0) state.throw_link_error(link.get(), "cannot connect to");
  if (o.unix_socket.empty()) redisEnableKeepAlive(link.get());  // notices a peer that vanished silently
  // Bounds the handshake below; afterwards the thread reads only when poll() says data is there.
  if (redisSetTimeout(link.get(), to_timeval(o.command_timeout)) != REDIS_OK) {
    state.throw_link_error(link.get(), "cannot configure the connection to");
  }
  if (!o.username.empty() || !o.password.empty()) {
    std::vector<std::string_view> auth{"AUTH"};
    if (!o.username.empty()) auth.emplace_back(o.username);
    auth.emplace_back(o.password);
    command(state, link.get(), auth);
  }
  if (o.db != 0) command(state, link.get(), {"SELECT", std::to_string(o.db)});
  command(state, link.get(), {"SUBSCRIBE", state.channel});  // answers with the confirmation
  return link;
}

// The Sentinels' +switch-master watcher tries each Sentinel in turn (seeds are the Sentinels).
// In a cluster a message published on any node reaches the subscribers of every node, so any
// node will do: the seeds are tried in turn, from the one that answered last (the first is the
// master of the channel's slot, where publish() counts its receivers). A node that failed over
// or left is passed over on the next reconnect.
Link connect_to_any(SubscriberState& state) {
  Options& o = state.options;
  if (o.topology == Topology::standalone || o.seeds.empty()) return connect(state);
  std::exception_ptr last_error;
  for (std::size_t k = 0; k < o.seeds.size(); ++k) {
    const std::size_t node = (state.node + k) % o.seeds.size();
    o.host = o.seeds[node].host;
    o.port = o.seeds[node].port;
    state.endpoint = endpoint_of(o);
    try {
      Link link = connect(state);
      state.node = node;
      return link;
    } catch (const AuthError&) {
      throw;
    } catch (const ConnectionError&) {
      last_error = std::current_exception();
    }
  }
  std::rethrow_exception(last_error);
}

void deliver(SubscriberState& state, const redisReply& reply) {
  const bool is_message = reply.type == REDIS_REPLY_ARRAY && reply.elements == 3 &&
                          reply.element[0]->type == REDIS_REPLY_STRING &&
                          std::string_view(reply.element[0]->str, reply.element[0]->len) == "message";
  if (!is_message) return;  // subscribe confirmations
  const redisReply& payload = *reply.element[2];
  try {
    state.on_message(std::string_view(payload.str, payload.len));
  } catch (const std::exception& e) {
    state.report(e);
  } catch (...) {
    state.report(Error(fmt::format("subscribe on {}: the message handler threw a non-standard exception",
                                   state.spec.name),
                       state.spec.key_template));
  }
}

// Hands every message to the handler until a stop is requested; throws when the connection is
// lost. poll() with a short timeout, not a socket read timeout: hiredis gives up a connection
// after a read timeout, and a quiet channel is no failure.
void listen(SubscriberState& state, redisContext* link) {
  while (!state.stop_requested()) {
    void* raw = nullptr;
    if (redisGetReplyFromReader(link, &raw) != REDIS_OK) state.throw_link_error(link, "unreadable reply from");
    if (raw != nullptr) {
      const OwnedReply reply(static_cast<redisReply*>(raw));
      deliver(state, *reply);
      continue;
    }
    pollfd watched{link->fd, POLLIN, 0};
    const int ready = poll(&watched, 1, kPollMillis);
    if (ready < 0 && errno != EINTR) state.throw_link_error(link, "cannot wait for");
    if (ready <= 0) continue;
    if (redisBufferRead(link) != REDIS_OK) state.throw_link_error(link, "connection lost to");
  }
}

// False when a stop was requested during the pause.
bool wait_backoff(SubscriberState& state, std::chrono::milliseconds duration) {
  std::unique_lock<std::mutex> lock(state.mutex);
  return !state.changed.wait_for(lock, duration, [&] { return state.stopping; });
}

void run(const std::shared_ptr<SubscriberState>& shared) {
  // A write to a socket the server closed raises SIGPIPE, which would kill the process; this
  // thread is ours, so the signal is simply blocked here (it stays pending on this thread).
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);

  SubscriberState& state = *shared;
  std::chrono::milliseconds backoff = kFirstBackoff;
  while (!state.stop_requested()) {
    try {
      const Link link = connect_to_any(state);
      state.set_subscribed(true);
      backoff = kFirstBackoff;
      listen(state, link.get());
    } catch (const std::exception& e) {
      if (!state.stop_requested()) state.report(e);
    }
    state.set_subscribed(false);
    if (!wait_backoff(state, backoff)) break;
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

}  // namespace

Subscriber::Subscriber(Options options, const KeySpec& spec, std::string channel,
                       Subscription::MessageHandler on_message, Subscription::ErrorHandler on_error)
    : state_(std::make_shared<SubscriberState>()) {
  state_->options = std::move(options);
  state_->spec = spec;
  state_->channel = std::move(channel);
  state_->on_message = std::move(on_message);
  state_->on_error = std::move(on_error);
  state_->endpoint = endpoint_of(state_->options);
  // The thread's first step takes this mutex, so it sees thread_id_ set (its handlers read it).
  const std::lock_guard<std::mutex> lock(state_->mutex);
  thread_ = std::thread([state = state_] { run(state); });
  thread_id_ = thread_.get_id();
}

// Destroyed by one of its own handlers, the thread cannot be joined: it is detached and ends
// after the handler returns, keeping the shared state alive until then.
Subscriber::~Subscriber() {
  if (std::this_thread::get_id() == thread_id_) {
    request_stop();
    thread_.detach();
    return;
  }
  stop();
}

bool Subscriber::subscribed() const noexcept {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->subscribed;
}

bool Subscriber::wait_until_subscribed(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(state_->mutex);
  state_->changed.wait_for(lock, timeout, [&] { return state_->subscribed || state_->stopping; });
  return state_->subscribed && !state_->stopping;
}

void Subscriber::request_stop() noexcept {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stopping = true;
  }
  state_->changed.notify_all();
}

void Subscriber::stop() noexcept {
  request_stop();
  // From a handler: the thread sees the request once the handler returns; the owner joins it.
  if (std::this_thread::get_id() == thread_id_) return;
  std::lock_guard<std::mutex> lock(join_mutex_);
  if (!thread_.joinable()) return;
  try {
    thread_.join();
  } catch (const std::system_error&) {
    // Only possible if the thread were gone already; nothing is left to wait for.
  }
}

const std::string& Subscriber::channel() const noexcept { return state_->channel; }

}  // namespace keyspace::detail
