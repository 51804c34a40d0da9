#include "model/duration.hpp"

#include <gtest/gtest.h>

namespace keyspace::gen {
namespace {

using std::chrono::milliseconds;

TEST(Duration, ParsesEveryUnit) {
  EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("30s"), milliseconds(30'000));
  EXPECT_EQ(parse_duration("5m"), milliseconds(300'000));
  EXPECT_EQ(parse_duration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(parse_duration("7d"), milliseconds(604'800'000));
}

TEST(Duration, RejectsMalformedText) {
  for (const char* bad : {"", "h", "1", "1 h", " 1h", "1h ", "1.5h", "-1h", "1x", "1hour", "0s", "1H", "1h30m",
                          "9999999999999d"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(Duration, FormatsWithTheLargestExactUnit) {
  EXPECT_EQ(format_duration(milliseconds(3'600'000)), "1h");
  EXPECT_EQ(format_duration(milliseconds(90'000)), "90s");
  EXPECT_EQ(format_duration(milliseconds(1'500)), "1500ms");
  EXPECT_EQ(format_duration(milliseconds(86'400'000 * 2)), "2d");
}

TEST(Duration, FormatThenParseRoundTrips) {
  for (long long ms : {1LL, 999LL, 1000LL, 61'000LL, 3'600'000LL, 90'061'000LL}) {
    EXPECT_EQ(parse_duration(format_duration(milliseconds(ms))), milliseconds(ms)) << ms;
  }
}

}  // namespace
}  // namespace keyspace::gen
