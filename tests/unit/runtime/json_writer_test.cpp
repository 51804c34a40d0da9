// The JSON writer of declared types must write exactly the bytes nlohmann::json's dump() wrote
// for the same values, so that stored values and golden files do not change.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

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

TEST(JsonWriter, WritesDoublesWithNlohmannJsonsDigits) {
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.1, 2.5, 1.0 / 3.0, 1e20, 1e21, 1e-5, 1e-7, 123456789.0,
                   1e300, 5e-324, std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                   std::numeric_limits<double>::min()}) {
    EXPECT_EQ(written_number(v), nlohmann::json(v).dump()) << v;
  }
  std::mt19937_64 random(42);
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t bits = random();
    double v = 0;
    static_assert(sizeof v == sizeof bits);
    std::memcpy(&v, &bits, sizeof v);
    EXPECT_EQ(written_number(v), nlohmann::json(v).dump()) << bits;
  }
}

TEST(JsonWriter, WritesNonFiniteDoublesAsNullLikeNlohmannJson) {
  EXPECT_EQ(written_number(std::nan("")), "null");
  EXPECT_EQ(written_number(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(nlohmann::json(std::numeric_limits<double>::infinity()).dump(), "null");
}

TEST(JsonWriter, WritesIntegersAtTheirLimits) {
  Writer out;
  out.begin_array();
  out.int64(std::numeric_limits<std::int64_t>::min());
  out.int64(std::numeric_limits<std::int64_t>::max());
  out.uint64(std::numeric_limits<std::uint64_t>::max());
  out.int64(0);
  out.end_array();
  EXPECT_EQ(out.text(), "[-9223372036854775808,9223372036854775807,18446744073709551615,0]");
}

TEST(JsonWriter, SeparatesMembersAndElementsAtEveryDepth) {
  Writer out;
  out.begin_object();
  out.key("a");
  out.begin_array();
  out.begin_object();
  out.end_object();
  out.begin_array();
  out.end_array();
  out.boolean(true);
  out.null();
  out.end_array();
  out.key("b");
  out.begin_object();
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
  for (int i = 0; i < keyspace::json::kMaxDepth; ++i) out.begin_array();
  EXPECT_THROW(out.begin_object(), keyspace::EncodeError);
}

}  // namespace
