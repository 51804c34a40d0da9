#include "common.hpp"

#include <cstdlib>
#include <stdexcept>

namespace bench {

int redis_port() {
  const char* port = std::getenv("KEYSPACE_BENCH_PORT");
  return port ? std::atoi(port) : 6379;
}

keyspace::Options client_options(std::size_t pool_size) {
  keyspace::Options options;
  options.port = redis_port();
  options.pool_size = pool_size;
  return options;
}

std::optional<keyspace::Options> cluster_options(std::size_t pool_size) {
  const char* ports = std::getenv("KEYSPACE_BENCH_CLUSTER_PORTS");
  if (ports == nullptr || *ports == '\0') return std::nullopt;
  keyspace::Options options;
  options.topology = keyspace::Topology::cluster;
  options.pool_size = pool_size;
  const std::string list = ports;
  for (std::size_t start = 0; start < list.size();) {
    const std::size_t comma = list.find(',', start);
    const std::string port = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    options.seeds.push_back({"127.0.0.1", std::atoi(port.c_str())});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return options;
}

bench_keys::Product sample_product() {
  bench_keys::Product p;
  p.id = 4242;
  p.name = "espresso cup";
  p.price_cents = 1250;
  p.in_stock = true;
  return p;
}

RawConnection::RawConnection() : context_(redisConnect("127.0.0.1", redis_port())) {
  if (context_ == nullptr || context_->err) throw std::runtime_error("raw hiredis: cannot connect");
}

RawConnection::~RawConnection() { redisFree(context_); }

redisReply* RawConnection::command(int argc, const char** argv, const std::size_t* lens) {
  auto* reply = static_cast<redisReply*>(redisCommandArgv(context_, argc, argv, lens));
  if (reply == nullptr) throw std::runtime_error("raw hiredis: I/O error");
  return reply;
}

void RawConnection::set(const std::string& key, const std::string& bytes, const std::string& ttl_ms) {
  const char* argv[] = {"SET", key.data(), bytes.data(), "PX", ttl_ms.data()};
  const std::size_t lens[] = {3, key.size(), bytes.size(), 2, ttl_ms.size()};
  freeReplyObject(command(5, argv, lens));
}

std::size_t RawConnection::get(const std::string& key) {
  const char* argv[] = {"GET", key.data()};
  const std::size_t lens[] = {3, key.size()};
  redisReply* reply = command(2, argv, lens);
  const std::size_t size = reply->type == REDIS_REPLY_STRING ? reply->len : 0;
  freeReplyObject(reply);
  return size;
}

}  // namespace bench
