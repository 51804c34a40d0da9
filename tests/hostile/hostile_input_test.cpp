// `keyspace check` on hostile input: each case writes its input at test time (nothing large is
// committed), runs the real binary with 1 GiB of address space and a 10 s bound, and expects exit
// code 1 with the located diagnostic that names the problem — never a crash, a hang or an
// allocation failure. The measured time and peak memory are printed for docs/input-limits.md.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounded_run.hpp"

namespace keyspace::test {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kAddressSpace = std::size_t{1} << 30;
constexpr std::chrono::seconds kTimeBound{10};

class hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("keyspace-hostile-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }

  fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // Runs `keyspace check path`; expects exit 1 and a diagnostic line matching `expected` (a
  // regex; "PATH" stands for the path), within the time bound.
  BoundedResult expect_clean_error(const fs::path& path, const std::string& expected) {
    const BoundedResult r = run_bounded({KEYSPACE_BINARY, "check", path.string()}, kAddressSpace, kTimeBound);
    std::cout << "[ measured ] " << path.filename().string() << ": " << r.elapsed.count() << " ms, peak RSS "
              << r.peak_rss_kib / 1024 << " MiB\n";
    EXPECT_FALSE(r.timed_out) << "no answer within " << kTimeBound.count() << " s";
    EXPECT_EQ(r.exit_code, 1) << r.output.substr(0, 2000);
    std::string pattern = expected;
    const std::string escaped = std::regex_replace(path.string(), std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
    pattern.replace(pattern.find("PATH"), 4, escaped);
    EXPECT_TRUE(std::regex_search(r.output.substr(0, 4000), std::regex(pattern)))
        << "expected /" << pattern << "/ in:\n" << r.output.substr(0, 2000);
    EXPECT_LT(r.peak_rss_kib, 512 * 1024) << "peak RSS above 512 MiB";
    return r;
  }

  static std::string repeat(const std::string& piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
  }

  fs::path dir_;
};

// The limit is 128 levels below the root: the 130th nested collection is the first too deep.
TEST_F(hostile, deep_flow_sequences_10000_levels) {
  const auto path = write("flow.yaml", repeat("[", 10000) + repeat("]", 10000) + "\n");
  expect_clean_error(path, "PATH:1:130: error\\[KS0008\\]: nesting deeper than 128 levels");
}

TEST_F(hostile, deep_flow_mappings_10000_levels) {
  const auto path = write("map.yaml", repeat("{a: ", 10000) + "1" + repeat("}", 10000) + "\n");
  expect_clean_error(path, "PATH:1:517: error\\[KS0008\\]: nesting deeper than 128 levels");
}

TEST_F(hostile, deep_block_sequences_10000_levels) {
  const auto path = write("block.yaml", repeat("- ", 10000) + "x\n");
  expect_clean_error(path, "PATH:1:259: error\\[KS0008\\]: nesting deeper than 128 levels");
}

// Indented block mappings: 1,000 levels (10,000 would be a 50 MB file, refused for its size).
TEST_F(hostile, deep_block_mappings_1000_levels) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += std::string(static_cast<std::size_t>(i), ' ') + "a:\n";
  const auto path = write("indented.yaml", text);
  expect_clean_error(path, "PATH:130:130: error\\[KS0008\\]: nesting deeper than 128 levels");
}

TEST_F(hostile, file_of_50_mb_of_keys_is_refused_by_its_size) {
  std::string text;
  for (int i = 0; text.size() < 50'000'000; ++i) text += "key_" + std::to_string(i) + ": value\n";
  const auto path = write("keys.yaml", text);
  expect_clean_error(path, "PATH: error\\[KS0008\\]: file too large \\(" + std::to_string(text.size()) +
                               " bytes; limit 3145728\\)");
}

TEST_F(hostile, one_scalar_of_50_mb_is_refused_by_its_size) {
  const auto path = write("scalar.yaml", "description: " + std::string(50'000'000, 'x') + "\n");
  expect_clean_error(path, "PATH: error\\[KS0008\\]: file too large \\(50000014 bytes; limit 3145728\\)");
}

// 9 levels of 10 aliases each: 10^9 nodes if expanded; the loader stops at 300,000.
TEST_F(hostile, billion_laughs_stops_at_the_node_limit) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    const std::string alias = std::string("*") + static_cast<char>(c - 1);
    text += std::string(1, c) + ": &" + c + " [" + repeat(alias + ", ", 9) + alias + "]\n";
  }
  const auto path = write("laughs.yaml", text);
  expect_clean_error(path, "PATH:[0-9]+:[0-9]+: error\\[KS0008\\]: the document has more than 300000 nodes "
                           "after alias expansion");
}

// Under the size limit, but more nodes than yaml-cpp should be asked to build (1.5 million items
// would take about a gigabyte): refused by the scan of the text, before parsing.
TEST_F(hostile, flow_list_of_a_million_items_is_refused_before_parsing) {
  const auto path = write("items.yaml", "items: [" + repeat("a,", 1'500'000) + "a]\n");
  const BoundedResult r =
      expect_clean_error(path, "PATH:1:600008: error\\[KS0008\\]: the document has more than 300000 nodes");
  EXPECT_LT(r.output.size(), 1000u) << "the excerpt of a 3 MB line shows only the part around the column";
}

TEST_F(hostile, block_list_of_700000_entries_is_refused_before_parsing) {
  const auto path = write("entries.yaml", "items:\n" + repeat("- a\n", 700'000));
  expect_clean_error(path, "PATH:300001:1: error\\[KS0008\\]: the document has more than 300000 nodes");
}

TEST_F(hostile, invalid_utf8_is_located) {
  const auto path = write("latin1.yaml", "keyspace: 1\nname: caf\xe9\n");
  expect_clean_error(path, "PATH:2:10: error\\[KS0002\\]");
}

TEST_F(hostile, nul_byte_is_located) {
  const auto path = write("nul.yaml", std::string("keyspace: 1\nname: a\0b\n", 22));
  expect_clean_error(path, "PATH:2:8: error\\[KS0002\\]");
}

TEST_F(hostile, directory_is_refused) {
  expect_clean_error(dir_, "PATH: error\\[KS0001\\]: is a directory, not a schema file");
}

TEST_F(hostile, fifo_is_refused_without_waiting_for_a_writer) {
  const fs::path path = dir_ / "fifo.yaml";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  expect_clean_error(path, "PATH: error\\[KS0001\\]: is a FIFO, not a schema file");
}

TEST_F(hostile, dev_zero_is_refused_without_reading_forever) {
  expect_clean_error("/dev/zero", "PATH: error\\[KS0001\\]: is a character device, not a schema file");
}

TEST_F(hostile, unreadable_file_is_refused) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root, which reads a file whatever its permissions";
  const auto path = write("secret.yaml", "keyspace: 1\n");
  fs::permissions(path, fs::perms::none);
  expect_clean_error(path, "PATH: error\\[KS0001\\]: cannot read the schema: Permission denied");
}

// The field name reaches the message through the validator's text, which is read without a
// backtracking regex: 300,000 bytes once overflowed the stack.
TEST_F(hostile, unknown_field_named_by_300000_bytes_is_a_located_error) {
  const auto path = write("long_field.yaml", "keyspace: 1\nname: shop\n? " + repeat("a", 300000) + "\n: 1\nnamespaces: {}\n");
  expect_clean_error(path, "PATH:3:3: error\\[KS0101\\]: unknown field 'aaaa");
}

// Parameter patterns are compiled by RE2 with its memory bound; one that would need more is
// refused where it is written, in bounded time.
TEST_F(hostile, pattern_too_large_for_re2_is_a_located_error) {
  const auto path = write("huge_pattern.yaml",
                          "keyspace: 1\nname: shop\nnamespaces:\n  cache:\n    keys:\n      code:\n"
                          "        key: cache:code:{code}\n"
                          "        params:\n          code: {type: string, pattern: \"((a{1000}){1000}){1000}\"}\n"
                          "        kind: value\n        value: string\n        ttl: 1h\n");
  expect_clean_error(path, "PATH:9:41: error\\[KS0308\\]: pattern '.*' is not a valid RE2 regular expression");
}

// Parameter languages are automata of bounded size, built once per distinct declaration: a
// hundred keys with long, distinct patterns and bounds are checked in bounded time and memory.
TEST_F(hostile, hundred_long_distinct_patterns_are_checked_in_bounded_time) {
  std::string text = "keyspace: 1\nname: shop\ndefaults: {ttl: 1m}\npolicies: {max_key_length: 200}\n"
                     "namespaces:\n  n:\n    keys:\n";
  for (int i = 0; i < 100; ++i) {
    text += "      k" + std::to_string(i) + ": {key: \"n:{x}:{y}\", params: {x: {type: string, max_length: " +
            std::to_string(2000 + i) + "}, y: {type: string, pattern: \"[a-z]{" + std::to_string(1 + i % 50) + "," +
            std::to_string(900 + i) + "}[0-9]+\", max_length: " + std::to_string(40000 + i) + "}}, value: string}\n";
  }
  expect_clean_error(write("long_patterns.yaml", text), "PATH:9:18: error\\[KS0309\\]: 'n:\\{x\\}:\\{y\\}' \\(n.k1\\)");
}

// Inputs the fuzzer (scripts/fuzz) once crashed on, kept as they were found.
TEST_F(hostile, inputs_found_by_the_fuzzer_get_located_errors) {
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(KEYSPACE_FUZZ_FOUND_DIR)) {
    SCOPED_TRACE(entry.path().filename().string());
    const BoundedResult r = expect_clean_error(entry.path(), "PATH:[0-9]+:[0-9]+: error\\[KS[0-9]{4}\\]");
    // Every finding is located, not only the first.
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) {
      if (line.find(": error[") == std::string::npos) continue;
      EXPECT_EQ(line.rfind(entry.path().string() + ":", 0), 0u) << "unlocated: " << line;
    }
    ++cases;
  }
  EXPECT_GT(cases, 0);
}

}  // namespace
}  // namespace keyspace::test
