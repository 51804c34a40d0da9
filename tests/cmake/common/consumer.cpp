// A program of a project that consumes keyspace: it writes typed keys to a real Redis and reads
// them back. Prints OK and exits 0 only when every value round-trips.
#include <cstdint>
#include <exception>
#include <iostream>
#include <optional>
#include <string>

#include "consumer/keyspace.hpp"

namespace {

int fail(const std::string& what) {
  std::cerr << "consumer: " << what << "\n";
  return 1;
}

int run(int port) {
  keyspace::Options opts;
  opts.port = port;
  keyspace::Client client{opts};
  consumer::redis::Keyspace keys{client};

  keys.demo.greeting.set(1, consumer::redis::Greeting{"hi", 2});
  std::optional<consumer::redis::Greeting> greeting = keys.demo.greeting.get(1);
  if (!greeting) return fail("greeting 1 was written but reads back as missing");
  if (greeting->text != "hi" || greeting->count != 2) {
    return fail("greeting 1 read back as {\"" + greeting->text + "\", " +
                std::to_string(greeting->count) + "}, expected {\"hi\", 2}");
  }
  if (keys.demo.greeting.get(2)) return fail("greeting 2 was never written but reads back");

  std::int64_t first = keys.demo.visits.incr("home");
  std::int64_t second = keys.demo.visits.incr("home", 2);
  if (second != first + 2) {
    return fail("visits went " + std::to_string(first) + " -> " + std::to_string(second) +
                " after incr by 2");
  }
  std::cout << "OK\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " REDIS_PORT\n";
    return 2;
  }
  try {
    return run(std::stoi(argv[1]));
  } catch (const std::exception& e) {
    return fail(std::string("error: ") + e.what());
  }
}
