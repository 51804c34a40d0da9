// Client CPU per operation, measured by bench/run under valgrind --tool=callgrind:
//   callgrind_ops typed|raw get|set COUNT
// runs COUNT operations after connecting. bench/run runs two counts and divides the difference
// of the instruction totals by the difference of the counts, which cancels start-up and
// connection setup.
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "common.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: callgrind_ops typed|raw get|set COUNT\n";
    return 2;
  }
  const std::string_view mode = argv[1], op = argv[2];
  const long count = std::atol(argv[3]);
  keyspace::Client client{bench::client_options(1)};
  bench_keys::Keyspace keys{client};
  const bench_keys::Product value = bench::sample_product();
  keys.bench.product.set(1, value);  // so that every get finds a value
  std::size_t found = 0;
  if (mode == "typed") {
    for (long i = 0; i < count; ++i) {
      if (op == "set") keys.bench.product.set(1, value);
      else found += keys.bench.product.get(1).has_value();
    }
  } else {
    bench::RawConnection raw;
    const std::string key = keys.bench.product.key(1);
    const std::string bytes = keyspace::SchemaJsonCodec<bench_keys::Product>::encode(value);
    const std::string ttl = std::to_string(bench_keys::bench::Product::spec.ttl.count());
    for (long i = 0; i < count; ++i) {
      if (op == "set") raw.set(key, bytes, ttl);
      else found += raw.get(key) > 0;
    }
  }
  std::cout << found << "\n";
  return 0;
}
