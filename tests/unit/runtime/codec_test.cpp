// Scalar codecs and base64: values are stored as readable text, and anything else that is
// found in Redis is a DecodeError naming the key template.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "keyspace/codec/codec.hpp"

namespace {

using namespace std::chrono_literals;

constexpr keyspace::KeySpec kSpec{"stats.visits", "stats:visits:{page}", 1h};

template <class Codec>
void expect_decode_error(std::string_view text) {
  try {
    Codec::decode(text, kSpec);
    ADD_FAILURE() << "'" << text << "' decoded";
  } catch (const keyspace::DecodeError& e) {
    EXPECT_EQ(e.key_template(), "stats:visits:{page}");
    EXPECT_NE(std::string(e.what()).find("stats:visits:{page}"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("stats.visits"), std::string::npos) << e.what();
  }
}

TEST(Int64Codec, RoundTripsTheWholeRange) {
  using keyspace::Int64Codec;
  for (std::int64_t v :
       {std::int64_t{0}, std::int64_t{-1}, std::int64_t{42},
        std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    EXPECT_EQ(Int64Codec::decode(Int64Codec::encode(v), kSpec), v);
  }
  EXPECT_EQ(Int64Codec::encode(-17), "-17");
}

TEST(Int64Codec, RejectsAnythingButTheOneDecimalSpellingRedisCountsWith) {
  for (const char* bad : {"", " 1", "1 ", "+1", "1.0", "1e3", "0x10", "abc", "12abc", "-",
                          "9223372036854775808", "-9223372036854775809", "007", "-01", "00", "-0"}) {
    expect_decode_error<keyspace::Int64Codec>(bad);
  }
}

TEST(DoubleCodec, EncodesTheShortestTextThatReadsBackExactly) {
  using keyspace::DoubleCodec;
  EXPECT_EQ(DoubleCodec::encode(0.1), "0.1");
  EXPECT_EQ(DoubleCodec::encode(2.5), "2.5");
  for (double v : {0.0, 0.1, 1.0 / 3.0, -2.5, 1e300, 5e-324, 3.141592653589793,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()}) {
    EXPECT_EQ(DoubleCodec::decode(DoubleCodec::encode(v), kSpec), v) << DoubleCodec::encode(v);
  }
  const double negative_zero = DoubleCodec::decode(DoubleCodec::encode(-0.0), kSpec);
  EXPECT_TRUE(std::signbit(negative_zero));
}

TEST(DoubleCodec, RoundTripsInfinityAndNan) {
  using keyspace::DoubleCodec;
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(DoubleCodec::decode(DoubleCodec::encode(inf), kSpec), inf);
  EXPECT_EQ(DoubleCodec::decode(DoubleCodec::encode(-inf), kSpec), -inf);
  EXPECT_TRUE(std::isnan(DoubleCodec::decode(DoubleCodec::encode(std::nan("")), kSpec)));
}

TEST(DoubleCodec, RandomBitPatternsRoundTrip) {
  std::mt19937_64 generator(7);
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t bits = generator();
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    if (std::isnan(v)) continue;
    EXPECT_EQ(keyspace::DoubleCodec::decode(keyspace::DoubleCodec::encode(v), kSpec), v);
  }
}

TEST(DoubleCodec, RejectsMalformedText) {
  for (const char* bad : {"", " 1", "1 ", "1,5", "1e", "abc", "1.5x", "--1"}) {
    expect_decode_error<keyspace::DoubleCodec>(bad);
  }
}

TEST(BoolCodec, StoresOneAndZeroAndRejectsEverythingElse) {
  using keyspace::BoolCodec;
  EXPECT_EQ(BoolCodec::encode(true), "1");
  EXPECT_EQ(BoolCodec::encode(false), "0");
  EXPECT_TRUE(BoolCodec::decode("1", kSpec));
  EXPECT_FALSE(BoolCodec::decode("0", kSpec));
  for (const char* bad : {"", "true", "false", "2", "01", " 1"})
    expect_decode_error<BoolCodec>(bad);
}

TEST(TimestampCodec, StoresMillisecondsSinceTheEpoch) {
  using keyspace::TimestampCodec;
  const keyspace::Timestamp t{std::chrono::milliseconds(1717243200123)};
  EXPECT_EQ(TimestampCodec::encode(t), "1717243200123");
  EXPECT_EQ(TimestampCodec::decode("1717243200123", kSpec), t);
  const keyspace::Timestamp before_epoch{std::chrono::milliseconds(-5)};
  EXPECT_EQ(TimestampCodec::decode(TimestampCodec::encode(before_epoch), kSpec), before_epoch);
  for (const char* bad : {"", "2024-06-01", "1.5", "now", "01717243200123"}) {
    expect_decode_error<TimestampCodec>(bad);
  }
}

TEST(StringAndBytesCodecs, KeepBytesAsTheyAre) {
  const std::string binary("a\0b\r\n\xff", 6);
  EXPECT_EQ(keyspace::StringCodec::decode(keyspace::StringCodec::encode(binary), kSpec), binary);
  EXPECT_EQ(keyspace::BytesCodec::encode(keyspace::Bytes{binary}), binary);
  EXPECT_EQ(keyspace::BytesCodec::decode(binary, kSpec), keyspace::Bytes{binary});
}

TEST(Base64, MatchesTheRfc4648TestVectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(keyspace::base64_encode(plain), encoded);
    std::string decoded = "garbage";
    ASSERT_TRUE(keyspace::base64_decode(encoded, decoded)) << encoded;
    EXPECT_EQ(decoded, plain);
  }
  EXPECT_EQ(keyspace::base64_encode("\xfb\xff"), "+/8=");
}

TEST(Base64, RandomBytesRoundTrip) {
  std::mt19937 generator(11);
  for (std::size_t length = 0; length < 200; ++length) {
    std::string data(length, '\0');
    for (char& c : data) c = static_cast<char>(generator() & 0xff);
    std::string decoded;
    ASSERT_TRUE(keyspace::base64_decode(keyspace::base64_encode(data), decoded));
    EXPECT_EQ(decoded, data);
  }
}

TEST(Base64, RejectsMalformedText) {
  for (const char* bad : {"Zg", "Zg=", "Zm9", "Z===", "====", "=Zg=", "Zg==Zg==", "Zm9v!A==",
                          "Zm9v\n", "Zh==", "Zm9=", "Zm-_"}) {
    std::string out = "untouched";
    EXPECT_FALSE(keyspace::base64_decode(bad, out)) << bad;
    EXPECT_EQ(out, "untouched");
  }
}

}  // namespace
