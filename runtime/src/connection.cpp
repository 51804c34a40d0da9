#include "connection.hpp"

#include <cerrno>
#include <memory>
#include <system_error>

#include <sys/socket.h>
#include <sys/time.h>

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include "keyspace/errors.hpp"
#include "resp.hpp"

namespace keyspace::detail {

namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(duration.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((duration.count() % 1000) * 1000);
  return tv;
}

// A zero connect timeout means "wait as long as the OS does": hiredis would otherwise turn it
// into a poll() that gives up at once.
redisContext* connect_raw(const Options& options) {
  const bool bounded = options.connect_timeout.count() > 0;
  const timeval tv = to_timeval(options.connect_timeout);
  if (!options.unix_socket.empty()) {
    const char* path = options.unix_socket.c_str();
    return bounded ? redisConnectUnixWithTimeout(path, tv) : redisConnectUnix(path);
  }
  const char* host = options.host.c_str();
  return bounded ? redisConnectWithTimeout(host, options.port, tv)
                 : redisConnect(host, options.port);
}

// hiredis reports both a connect timeout (ETIMEDOUT from its poll) and a command timeout
// (EAGAIN from a read with SO_RCVTIMEO) as REDIS_ERR_IO. errno is checked first; the message
// hiredis captured from errno is the fallback in case its cleanup overwrote errno.
bool is_timeout(const redisContext& context, int saved_errno) {
  if (context.err != REDIS_ERR_IO) return false;
  if (saved_errno == EAGAIN || saved_errno == ETIMEDOUT) return true;
  const std::string_view text(context.errstr);
  const std::string again = std::generic_category().message(EAGAIN);
  const std::string timed_out = std::generic_category().message(ETIMEDOUT);
  return text.find(again) != std::string_view::npos ||
         text.find(timed_out) != std::string_view::npos;
}

}  // namespace

std::string describe(const Context& context) {
  const std::string attempt =
      context.attempt > 1 ? fmt::format(" (attempt {})", context.attempt) : std::string();
  if (context.name.empty()) return fmt::format("{}{}", context.op, attempt);
  return fmt::format("{} on {}{}", context.op, context.name, attempt);
}

std::string describe_endpoint(const Options& options) {
  if (!options.unix_socket.empty()) return "unix:" + options.unix_socket;
  return fmt::format("{}:{}", options.host, options.port);
}

Connection::Connection(redisContext* context, std::string endpoint) noexcept
    : context_(context), endpoint_(std::move(endpoint)) {}

Connection::~Connection() { redisFree(context_); }

std::unique_ptr<Connection> Connection::open(const Options& options, const Context& context, Handshake handshake) {
  errno = 0;
  redisContext* raw = connect_raw(options);
  const int saved_errno = errno;
  std::string endpoint = describe_endpoint(options);
  if (raw == nullptr) {
    throw ConnectionError(
        fmt::format("connect to {}: hiredis could not allocate a context", endpoint));
  }
  std::unique_ptr<Connection> connection(new Connection(raw, std::move(endpoint)));
  if (raw->err != 0) connection->throw_io_error(saved_errno, context);
  // A zero timeval lets reads block without limit, which is what a zero timeout asks for.
  if (redisSetTimeout(raw, to_timeval(options.command_timeout)) != REDIS_OK) {
    connection->throw_io_error(errno, context);
  }
  connection->authenticate(options, context);
  connection->select(options.db, context);
  if (handshake == Handshake::confirm_master) connection->confirm_master(context);
  if (handshake == Handshake::readonly) {
    const RawReply reply = connection->command({"READONLY"}, context);
    if (reply.type() == Reply::Type::error) {
      throw CommandError(fmt::format("{}: READONLY refused by {}: {}", describe(context), connection->endpoint_,
                                     reply.str()),
                         context.key_template);
    }
  }
  return connection;
}

void Connection::confirm_master(const Context& context) {
  const Reply role = command({"ROLE"}, context).copy();
  const std::string_view answer =
      role.type == Reply::Type::array && !role.elements.empty() ? std::string_view(role.elements.front().str) : "";
  if (answer != "master") {
    failed_ = true;
    throw ConnectionError(fmt::format("{}: {} is not the master (ROLE answered '{}'); asking the Sentinels again",
                                      describe(context), endpoint_, answer.empty() ? role.str : std::string(answer)),
                          context.key_template);
  }
}

RawReply Connection::command(CommandArgs args, const Context& context) {
  out_.clear();
  out_.append(args);
  send_all({out_.data(), out_.size()}, context);
  return receive(context);
}

// All commands go out in one write before any reply is read: one round trip.
std::vector<RawReply> Connection::pipeline(std::string_view commands, std::size_t count, const Context& context) {
  send_all(commands, context);
  return receive(count, context);
}

std::vector<RawReply> Connection::receive(std::size_t count, const Context& context) {
  std::vector<RawReply> replies;
  replies.reserve(count);
  for (std::size_t i = 0; i < count; ++i) replies.push_back(receive(context));
  return replies;
}

// send() rather than hiredis' write(): MSG_NOSIGNAL turns a write into a closed socket into
// EPIPE instead of a SIGPIPE that would kill the process. The socket's send timeout
// (redisSetTimeout sets SO_SNDTIMEO beside SO_RCVTIMEO) bounds every call.
void Connection::send_all(std::string_view bytes, const Context& context) {
  const char* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t sent = ::send(context_->fd, data, left, MSG_NOSIGNAL);
    if (sent < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      throw_failure(error == EAGAIN || error == EWOULDBLOCK, std::generic_category().message(error), context);
    }
    data += sent;
    left -= static_cast<std::size_t>(sent);
  }
}

// hiredis' output buffer is always empty, so redisGetReply only reads.
RawReply Connection::receive(const Context& context) {
  void* raw = nullptr;
  errno = 0;
  if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) throw_io_error(errno, context);
  return RawReply(raw);
}

void Connection::set_timeout(std::chrono::milliseconds timeout, const Context& context) {
  if (redisSetTimeout(context_, to_timeval(timeout)) != REDIS_OK) throw_io_error(errno, context);
}

bool Connection::broken() const noexcept { return failed_ || context_->err != 0; }

bool Connection::usable_when_idle() noexcept {
  if (broken()) return false;
  char byte = 0;
  const ssize_t peeked = ::recv(context_->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  // Only "nothing to read yet" means alive: 0 is an orderly close, > 0 unsolicited data, any
  // other error a reset socket.
  if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
  failed_ = true;
  return false;
}

void Connection::authenticate(const Options& options, const Context& context) {
  // An ACL user is always authenticated, even with an empty password (users with `nopass`).
  if (options.username.empty() && options.password.empty()) return;
  const RawReply reply = options.username.empty() ? command({"AUTH", options.password}, context)
                                                   : command({"AUTH", options.username, options.password}, context);
  if (reply.type() == Reply::Type::error) {
    const std::string user = options.username.empty() ? "default" : options.username;
    throw AuthError(fmt::format("{}: AUTH as user '{}' refused by {}: {}", describe(context), user,
                                endpoint_, reply.str()),
                    context.key_template);
  }
}

void Connection::select(int db, const Context& context) {
  if (db == 0) return;  // every connection starts on db 0
  const std::string index = std::to_string(db);
  const RawReply reply = command({"SELECT", index}, context);
  if (reply.type() == Reply::Type::error) {
    // Retrying cannot help: the configured database does not exist on this server.
    throw ConfigError(
        fmt::format("{}: SELECT {} refused by {}: {}", describe(context), db, endpoint_, reply.str()),
        context.key_template);
  }
}

void Connection::throw_io_error(int saved_errno, const Context& context) {
  const std::string_view detail = context_->err != 0 ? context_->errstr : "unknown error";
  throw_failure(is_timeout(*context_, saved_errno), detail, context);
}

void Connection::throw_failure(bool timed_out, std::string_view detail, const Context& context) {
  failed_ = true;
  const std::string what = describe(context);
  if (timed_out) {
    throw TimeoutError(fmt::format("{}: {} timed out ({})", what, endpoint_, detail),
                       context.key_template);
  }
  throw ConnectionError(fmt::format("{}: connection to {} failed ({})", what, endpoint_, detail),
                        context.key_template);
}

}  // namespace keyspace::detail
