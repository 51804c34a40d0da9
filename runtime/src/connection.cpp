#include "connection.hpp"

#include <cerrno>
#include <memory>
#include <system_error>

#include <csignal>
#include <ctime>

#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include "keyspace/errors.hpp"

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

Reply convert(const redisReply& raw) {
  Reply reply;
  switch (raw.type) {
    case REDIS_REPLY_STRING:
      reply.type = Reply::Type::string;
      break;
    case REDIS_REPLY_STATUS:
      reply.type = Reply::Type::status;
      break;
    case REDIS_REPLY_ERROR:
      reply.type = Reply::Type::error;
      break;
    case REDIS_REPLY_INTEGER:
      reply.type = Reply::Type::integer;
      reply.integer = raw.integer;
      return reply;
    case REDIS_REPLY_ARRAY:
      reply.type = Reply::Type::array;
      reply.elements.reserve(raw.elements);
      for (std::size_t i = 0; i < raw.elements; ++i)
        reply.elements.push_back(convert(*raw.element[i]));
      return reply;
    default:  // REDIS_REPLY_NIL
      return reply;
  }
  reply.str.assign(raw.str, raw.len);
  return reply;
}

// hiredis writes with write(2), so a server that closed the connection raises SIGPIPE, whose
// default action kills the whole process. The signal is blocked for this thread while hiredis
// runs and a SIGPIPE raised meanwhile is consumed; the process-wide disposition, which belongs
// to the application, is left untouched.
class SigpipeGuard {
 public:
  SigpipeGuard() noexcept {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    already_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  ~SigpipeGuard() {
    if (!already_pending_) {
      sigset_t pending;
      sigemptyset(&pending);
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec no_wait{0, 0};
        sigtimedwait(&pipe_, nullptr, &no_wait);
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t previous_;
  bool already_pending_ = false;
};

struct ReplyDeleter {
  void operator()(redisReply* reply) const noexcept { freeReplyObject(reply); }
};

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

std::unique_ptr<Connection> Connection::open(const Options& options, const Context& context) {
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
  return connection;
}

Reply Connection::command(const std::vector<std::string_view>& args, const Context& context) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (std::string_view arg : args) {
    // An empty view may have a null data pointer; hiredis copies it with memcpy.
    argv.push_back(arg.data() != nullptr ? arg.data() : "");
    lengths.push_back(arg.size());
  }
  void* raw = nullptr;
  int saved_errno = 0;
  {
    const SigpipeGuard guard;
    errno = 0;
    raw = redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data());
    saved_errno = errno;
  }
  if (raw == nullptr) throw_io_error(saved_errno, context);
  const std::unique_ptr<redisReply, ReplyDeleter> reply(static_cast<redisReply*>(raw));
  return convert(*reply);
}

std::vector<Reply> Connection::pipeline(const std::vector<std::vector<std::string>>& commands,
                                        const Context& context) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  const SigpipeGuard guard;
  for (const std::vector<std::string>& command : commands) {
    argv.clear();
    lengths.clear();
    for (const std::string& arg : command) {
      argv.push_back(arg.c_str());
      lengths.push_back(arg.size());
    }
    // Appending only fills hiredis' output buffer; the first redisGetReply writes it all.
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data()) != REDIS_OK) {
      throw_io_error(errno, context);
    }
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    errno = 0;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) throw_io_error(errno, context);
    const std::unique_ptr<redisReply, ReplyDeleter> reply(static_cast<redisReply*>(raw));
    replies.push_back(convert(*reply));
  }
  return replies;
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
  std::vector<std::string_view> args{"AUTH"};
  if (!options.username.empty()) args.emplace_back(options.username);
  args.emplace_back(options.password);
  const Reply reply = command(args, context);
  if (reply.type == Reply::Type::error) {
    const std::string user = options.username.empty() ? "default" : options.username;
    throw AuthError(fmt::format("{}: AUTH as user '{}' refused by {}: {}", describe(context), user,
                                endpoint_, reply.str),
                    context.key_template);
  }
}

void Connection::select(int db, const Context& context) {
  if (db == 0) return;  // every connection starts on db 0
  const std::string index = std::to_string(db);
  const Reply reply = command({"SELECT", index}, context);
  if (reply.type == Reply::Type::error) {
    // Retrying cannot help: the configured database does not exist on this server.
    throw ConfigError(
        fmt::format("{}: SELECT {} refused by {}: {}", describe(context), db, endpoint_, reply.str),
        context.key_template);
  }
}

void Connection::throw_io_error(int saved_errno, const Context& context) {
  failed_ = true;
  const std::string what = describe(context);
  const std::string_view detail = context_->err != 0 ? context_->errstr : "unknown error";
  if (is_timeout(*context_, saved_errno)) {
    throw TimeoutError(fmt::format("{}: {} timed out ({})", what, endpoint_, detail),
                       context.key_template);
  }
  throw ConnectionError(fmt::format("{}: connection to {} failed ({})", what, endpoint_, detail),
                        context.key_template);
}

}  // namespace keyspace::detail
