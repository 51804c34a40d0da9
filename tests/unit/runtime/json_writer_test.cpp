// The JSON writer of declared types must write exactly the bytes nlohmann::json's dump() wrote
// for the same values, so that stored values and golden files do not change.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keyspace/codec/json_writer.hpp"
#include "keyspace/errors.hpp"

namespace {

using keyspace::json::Writer;

std::string written_string(const std::string& text) {
  Writer out;
  out.string(text);
  return std::move(out).take();
}

std::string written_number(double value) {
  Writer out;
  out.number(value);
  return std::move(out).take();
}

TEST(JsonWriter, EscapesStringsLikeNlohmannJson) {
  std::string every_ascii_byte;
  for (int c = 0; c < 0x80; ++c) every_ascii_byte.push_back(static_cast<char>(c));
  for (const std::string& text : {std::string(), std::string("plain"), std::string("quote \" and \\ slash /"),
                                  std::string("\b\f\n\r\t"), std::string("\x01\x1f\x7f", 3),
                                  std::string("\0nul", 4), every_ascii_byte,
                                  std::string("Zoë, 東京, 😀 (U+1F600)"), std::string("\xF4\x8F\xBF\xBF")}) {
    EXPECT_EQ(written_string(text), nlohmann::json(text).dump()) << text;
  }
  EXPECT_EQ(written_string("\x1f"), "\"\\u001f\"");  // lower-case hex, as before
}

TEST(JsonWriter, RefusesStringsThatAreNotUtf8) {
  for (const std::string& bad : {std::string("\xff"), std::string("\xC0\x80"),   // overlong NUL
                                 std::string("\xED\xA0\x80"),                    // a surrogate
                                 std::string("\xF4\x90\x80\x80"),                // above U+10FFFF
                                 std::string("ok \xE2\x82"),                     // truncated
                                 std::string("\x80")}) {
    EXPECT_THROW(written_string(bad), keyspace::EncodeError) << bad;
    EXPECT_THROW(nlohmann::json(bad).dump(), nlohmann::json::type_error);  // as before: refused
  }
}

// The digits of stored doubles, pinned: a change here changes what every writer stores.
TEST(JsonWriter, WritesDoublesWithTheseDigits) {
  const std::pair<double, const char*> golden[] = {
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {1.0, "1.0"},
      {-1.0, "-1.0"},
      {0.1, "0.1"},
      {2.5, "2.5"},
      {1.0 / 3.0, "0.3333333333333333"},
      {123456789.0, "123456789.0"},
      {1e14, "100000000000000.0"},
      {1e15, "1e+15"},
      {1e16, "1e+16"},
      {1e20, "1e+20"},
      {1e21, "1e+21"},
      {123456.789e3, "123456789.0"},
      {0.001, "0.001"},
      {1e-4, "0.0001"},
      {1e-5, "1e-05"},
      {1.5e-7, "1.5e-07"},
      {1e300, "1e+300"},
      {5e-324, "5e-324"},
      {std::numeric_limits<double>::max(), "1.7976931348623157e+308"},
      {std::numeric_limits<double>::lowest(), "-1.7976931348623157e+308"},
      {std::numeric_limits<double>::min(), "2.2250738585072014e-308"},
      {-3.556169393814842e-26, "-3.556169393814842e-26"},  // nlohmann (Grisu2) wrote 17 digits
  };
  for (const auto& [value, text] : golden) EXPECT_EQ(written_number(value), text) << value;
}

// Every finite double reads back exactly, and in nlohmann::json's layout: only the digits may
// differ, where nlohmann's Grisu2 wrote a 17th digit that the shortest form does not need or
// picks the other of two 17-digit neighbours.
TEST(JsonWriter, DoublesReadBackExactlyInNlohmannJsonsLayout) {
  std::mt19937_64 random(42);
  int differing = 0;
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t bits = random();
    double v = 0;
    static_assert(sizeof v == sizeof bits);
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    const std::string ours = written_number(v);
    const std::string theirs = nlohmann::json(v).dump();
    EXPECT_EQ(nlohmann::json::parse(ours).get<double>(), v) << ours;
    if (ours == theirs) continue;
    ++differing;
    EXPECT_LE(ours.size(), theirs.size()) << ours << " vs " << theirs;
    EXPECT_EQ(ours.find('e') == std::string::npos, theirs.find('e') == std::string::npos) << ours << " vs " << theirs;
  }
  EXPECT_LT(differing, 1000);  // about 0.15% of random doubles
}

TEST(JsonWriter, WritesNonFiniteDoublesAsNullLikeNlohmannJson) {
  EXPECT_EQ(written_number(std::nan("")), "null");
  EXPECT_EQ(written_number(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(nlohmann::json(std::numeric_limits<double>::infinity()).dump(), "null");
}

TEST(JsonWriter, WritesIntegersAtTheirLimits) {
  Writer out;
  out.begin_array(4);
  out.int64(std::numeric_limits<std::int64_t>::min());
  out.int64(std::numeric_limits<std::int64_t>::max());
  out.uint64(std::numeric_limits<std::uint64_t>::max());
  out.int64(0);
  out.end_array();
  EXPECT_EQ(out.text(), "[-9223372036854775808,9223372036854775807,18446744073709551615,0]");
}

TEST(JsonWriter, SeparatesMembersAndElementsAtEveryDepth) {
  Writer out;
  out.begin_object(3);
  out.key("a");
  out.begin_array(4);
  out.begin_object(0);
  out.end_object();
  out.begin_array(0);
  out.end_array();
  out.boolean(true);
  out.null();
  out.end_array();
  out.key("b");
  out.begin_object(2);
  out.key("c");
  out.string("d");
  out.key("e");
  out.boolean(false);
  out.end_object();
  out.key("f");
  out.int64(1);
  out.end_object();
  const std::string expected = R"({"a":[{},[],true,null],"b":{"c":"d","e":false},"f":1})";
  EXPECT_EQ(out.text(), expected);
  EXPECT_EQ(nlohmann::json::parse(expected).dump(), expected);
}

TEST(JsonWriter, RefusesToNestDeeperThanTheReaderReads) {
  Writer out;
  for (int i = 0; i < keyspace::codec::kMaxDepth; ++i) out.begin_array(1);
  EXPECT_THROW(out.begin_object(1), keyspace::EncodeError);
}

}  // namespace
