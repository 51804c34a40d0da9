#include "keyspace_test/redis_server.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "subprocess.hpp"

namespace keyspace::test {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kStartBound{5000};
constexpr milliseconds kStopBound{5000};
constexpr int kStartAttempts = 5;  // another process may grab the free port before redis does

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const noexcept { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  return address;
}

// A raw RESP PING, independent of hiredis and of the runtime under test. A server with
// requirepass answers -NOAUTH, which also proves that it is up.
bool answers_ping(int port) {
  Socket socket;
  const timeval timeout{0, 200 * 1000};
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const sockaddr_in address = loopback(port);
  if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return false;
  }
  const std::string ping = "PING\r\n";
  if (::write(socket.fd(), ping.data(), ping.size()) != static_cast<ssize_t>(ping.size()))
    return false;
  char reply[64] = {};
  const ssize_t n = ::read(socket.fd(), reply, sizeof reply - 1);
  if (n <= 0) return false;
  const std::string_view text(reply, static_cast<std::size_t>(n));
  return text.rfind("+PONG", 0) == 0 || text.rfind("-NOAUTH", 0) == 0;
}

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "keyspace-redis-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  return pattern;
}

std::filesystem::path redis_server_binary() {
  if (const char* configured = std::getenv("KEYSPACE_REDIS_SERVER");
      configured != nullptr && *configured) {
    return configured;
  }
  if (auto found = find_on_path("redis-server")) return *found;
  throw std::runtime_error(
      "redis-server was not found on PATH. The keyspace runtime tests run against a real Redis: "
      "install the Debian package 'redis-server' (scripts/setup does), or point "
      "KEYSPACE_REDIS_SERVER at a redis-server binary.");
}

}  // namespace

int find_free_port() {
  Socket socket;
  sockaddr_in address = loopback(0);
  if (::bind(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::system_error(errno, std::generic_category(), "bind 127.0.0.1:0");
  }
  socklen_t length = sizeof address;
  if (::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::system_error(errno, std::generic_category(), "getsockname");
  }
  return ntohs(address.sin_port);
}

RedisServer::RedisServer(RedisServerConfig config) : config_(std::move(config)) {
  const std::string binary = redis_server_binary().string();
  binary_ = binary;
  dir_ = make_temp_dir();
  if (config_.unix_socket) unix_socket_ = (dir_ / "redis.sock").string();
  if (!config_.sentinel_config.empty()) std::ofstream(dir_ / "sentinel.conf") << config_.sentinel_config;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    if (try_start(binary)) return;
  }
  const std::string log = log_tail();
  stop();
  std::filesystem::remove_all(dir_);
  throw std::runtime_error("redis-server (" + binary + ") did not answer PING within " +
                           std::to_string(kStartBound.count()) + " ms after " +
                           std::to_string(kStartAttempts) + " attempts. Its log:\n" + log);
}

RedisServer::~RedisServer() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::vector<std::string> RedisServer::command_line(const std::string& binary) const {
  std::vector<std::string> argv{binary,
                                "--port",
                                std::to_string(port_),
                                "--bind",
                                host_,
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--daemonize",
                                "no",
                                "--enable-debug-command",
                                "local",
                                "--dir",
                                dir_.string(),
                                "--logfile",
                                (dir_ / "redis.log").string()};
  if (!config_.sentinel_config.empty()) argv.insert(argv.begin() + 1, {(dir_ / "sentinel.conf").string(), "--sentinel"});
  if (!unix_socket_.empty()) {
    argv.insert(argv.end(), {"--unixsocket", unix_socket_, "--unixsocketperm", "700"});
  }
  if (!config_.password.empty()) argv.insert(argv.end(), {"--requirepass", config_.password});
  argv.insert(argv.end(), config_.extra_args.begin(), config_.extra_args.end());
  return argv;
}

// One attempt on a fresh port. Returns false when the server exited early (most likely the
// port was taken in the meantime) or never answered; the caller retries on another port.
bool RedisServer::try_start(const std::string& binary) {
  port_ = find_free_port();
  return start_on_port(binary);
}

bool RedisServer::start_on_port(const std::string& binary) {
  pid_ = spawn(command_line(binary), dir_ / "redis.log");
  const auto deadline = std::chrono::steady_clock::now() + kStartBound;
  while (std::chrono::steady_clock::now() < deadline) {
    if (wait_for_exit(pid_, milliseconds(0))) {
      pid_ = -1;
      return false;
    }
    if (answers_ping(port_)) {
      // The answer may come from a stranger that owns the port; ours must still be running.
      std::this_thread::sleep_for(milliseconds(20));
      if (!wait_for_exit(pid_, milliseconds(0))) return true;
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  stop();
  return false;
}

void RedisServer::stop() noexcept {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!wait_for_exit(pid_, kStopBound)) {
    ::kill(pid_, SIGKILL);
    wait_for_exit(pid_, kStopBound);
  }
  pid_ = -1;
}

void RedisServer::kill() noexcept {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_for_exit(pid_, kStopBound);
  pid_ = -1;
}

// The port stays ours in practice (nobody else binds a port the OS just handed to this test),
// and redis-server binds with SO_REUSEADDR, so old connections in TIME_WAIT do not block it.
// A few attempts cover a slow exit of the previous process.
void RedisServer::start() {
  if (pid_ > 0) return;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    if (start_on_port(binary_)) return;
    std::this_thread::sleep_for(milliseconds(50));
  }
  throw std::runtime_error("redis-server did not come back on port " + std::to_string(port_) +
                           ". Its log:\n" + log_tail());
}

void RedisServer::restart() {
  stop();
  start();
}

std::string RedisServer::log_tail() const {
  std::ifstream in(dir_ / "redis.log");
  std::stringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  constexpr std::size_t kTail = 4000;
  return log.size() > kTail ? log.substr(log.size() - kTail) : log;
}

keyspace::Options RedisServer::options() const {
  keyspace::Options options;
  options.host = host_;
  options.port = port_;
  options.password = config_.password;
  return options;
}

std::string RedisServer::cli(const std::vector<std::string>& command) const {
  static const std::filesystem::path binary = [] {
    auto found = find_on_path("redis-cli");
    if (!found)
      throw std::runtime_error("redis-cli was not found on PATH (Debian package redis-tools)");
    return *found;
  }();
  std::vector<std::string> argv{binary.string(), "-h", host_, "-p", std::to_string(port_)};
  if (!config_.password.empty())
    argv.insert(argv.end(), {"-a", config_.password, "--no-auth-warning"});
  argv.insert(argv.end(), command.begin(), command.end());
  ProcessOutput result = run(argv);
  if (result.exit_code != 0) {
    throw std::runtime_error("redis-cli failed (exit " + std::to_string(result.exit_code) +
                             "): " + result.output);
  }
  if (!result.output.empty() && result.output.back() == '\n') result.output.pop_back();
  return result.output;
}

void RedisServer::flush_all() const {
  const std::string reply = cli({"FLUSHALL"});
  if (reply != "OK") throw std::runtime_error("FLUSHALL answered: " + reply);
}

}  // namespace keyspace::test
