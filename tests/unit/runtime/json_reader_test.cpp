// The pull reader behind the JSON codecs of declared types: the whole JSON grammar, strictly,
// with every escape, numbers checked against the range of the type asked for, and a bound on
// nesting; whatever nlohmann::json writes reads back.

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keyspace/codec/json_reader.hpp"

namespace {

using keyspace::codec::ReadError;
using keyspace::json::Reader;

std::string read_string(const std::string& json) {
  Reader in(json);
  std::string out(in.string());
  in.finish();
  return out;
}

std::int64_t read_int64(const std::string& json) {
  Reader in(json);
  const std::int64_t out = in.int64();
  in.finish();
  return out;
}

std::uint64_t read_uint64(const std::string& json) {
  Reader in(json);
  const std::uint64_t out = in.uint64();
  in.finish();
  return out;
}

double read_number(const std::string& json) {
  Reader in(json);
  const double out = in.number();
  in.finish();
  return out;
}

void skip_all(const std::string& json) {
  Reader in(json);
  in.skip();
  in.finish();
}

TEST(JsonReader, UnescapesEveryEscape) {
  EXPECT_EQ(read_string(R"("\"\\\/\b\f\n\r\t")"), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(read_string(R"("caf\u00e9 \u00E9")"), "café é");
  EXPECT_EQ(read_string(R"("\u6771\u4eac")"), "東京");
  EXPECT_EQ(read_string(R"("a\u0000b")"), std::string("a\0b", 3));
  EXPECT_EQ(read_string(R"("plain, then \n escaped")"), "plain, then \n escaped");
  EXPECT_EQ(read_string("\"raw UTF-8: Zoë 😀\""), "raw UTF-8: Zoë 😀");
}

TEST(JsonReader, JoinsSurrogatePairsIntoOneCharacter) {
  EXPECT_EQ(read_string(R"("\ud83d\ude00")"), "😀");
  EXPECT_EQ(read_string(R"("\uD800\uDC00")"), "\xF0\x90\x80\x80");   // U+10000
  EXPECT_EQ(read_string(R"("\uDBFF\uDFFF")"), "\xF4\x8F\xBF\xBF");   // U+10FFFF
}

TEST(JsonReader, RefusesBrokenStrings) {
  for (const std::string& bad : {
           std::string(R"("\ud83d")"),          // a high surrogate alone
           std::string(R"("\ud83dx")"),         // followed by text
           std::string(R"("\ud83d\u0041")"),    // followed by a character that is no low surrogate
           std::string(R"("\ude00")"),          // a low surrogate alone
           std::string(R"("\x41")"),            // no such escape
           std::string(R"("\u12")"),            // too short
           std::string(R"("\u12g4")"),          // not hex
           std::string("\"tab\tinside\""),      // control characters must be escaped
           std::string("\"nul\0inside\"", 12),
           std::string("\"\xff\""),             // not UTF-8
           std::string("\"\xC0\xAF\""),         // overlong
           std::string("\"\xED\xA0\x80\""),     // an encoded surrogate
           std::string("\"\xE2\x82\""),         // truncated sequence
           std::string("\"unterminated"),
           std::string("\"ends in a backslash\\"),
           std::string("'single quotes'"),
       }) {
    EXPECT_THROW(read_string(bad), ReadError) << bad;
    EXPECT_FALSE(nlohmann::json::accept(bad)) << bad;  // refused before too
  }
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

TEST(JsonReader, ReadsStringsNlohmannJsonWrote) {
  std::mt19937 random(7);
  std::uniform_int_distribution<std::uint32_t> code_point(0, 0x10FFFF);
  for (int i = 0; i < 2000; ++i) {
    std::string utf8;  // control characters, ASCII and every plane, surrogates left out
    for (int n = static_cast<int>(random() % 12); n > 0; --n) {
      std::uint32_t cp = random() % 4 == 0 ? random() % 0x80 : code_point(random);
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
      append_utf8(utf8, cp);
    }
    // Both of nlohmann's spellings: UTF-8 kept as is, and everything escaped as \uXXXX.
    EXPECT_EQ(read_string(nlohmann::json(utf8).dump()), utf8);
    EXPECT_EQ(read_string(nlohmann::json(utf8).dump(-1, ' ', true)), utf8);
  }
}

TEST(JsonReader, ReadsIntegersToTheEdgesOfTheirRange) {
  EXPECT_EQ(read_int64("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(read_int64("9223372036854775807"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(read_int64("0"), 0);
  EXPECT_EQ(read_int64("-0"), 0);
  EXPECT_EQ(read_int64(" 42 "), 42);
  EXPECT_EQ(read_uint64("18446744073709551615"), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(read_uint64("9223372036854775808"), 9223372036854775808u);
  for (const char* bad : {"9223372036854775808", "-9223372036854775809", "18446744073709551616",
                          "99999999999999999999999", "1.0", "1e3", "1E3", "01", "-", "+1", "", "x", "true",
                          "\"1\"", "0x10", "--1"}) {
    EXPECT_THROW(read_int64(bad), ReadError) << bad;
  }
  for (const char* bad : {"-1", "18446744073709551616", "1.5", "1e0"}) {
    EXPECT_THROW(read_uint64(bad), ReadError) << bad;
  }
}

TEST(JsonReader, ReadsNumbersAsNlohmannJsonParsesThem) {
  for (const char* text : {"0", "-0.0", "1", "-1", "0.1", "2.5", "1e20", "1E+20", "1e-05", "-12.5e-3",
                           "1.7976931348623157e+308", "5e-324", "123456789012345678901234567890",
                           "0.30000000000000004"}) {
    EXPECT_EQ(read_number(text), nlohmann::json::parse(text).get<double>()) << text;
  }
  for (const char* bad : {"", "-", "1.", ".5", "01", "1e", "1e+", "+1", "inf", "NaN", "-inf", "1e400",
                          "0x1p3", "1.5.5", "\"1\"", "null"}) {
    EXPECT_THROW(read_number(bad), ReadError) << bad;
  }
}

TEST(JsonReader, ReadsTheLiterals) {
  Reader in(" [true , false,null ] ");
  in.begin_array();
  ASSERT_TRUE(in.next_element());
  EXPECT_TRUE(in.boolean());
  ASSERT_TRUE(in.next_element());
  EXPECT_FALSE(in.consume_null());
  EXPECT_FALSE(in.boolean());
  ASSERT_TRUE(in.next_element());
  EXPECT_TRUE(in.consume_null());
  EXPECT_FALSE(in.next_element());
  in.finish();
  for (const char* bad : {"tru", "True", "nul", "falsey", "1"}) {
    Reader literal(bad);
    EXPECT_THROW({ literal.boolean(); literal.finish(); }, ReadError) << bad;
  }
}

TEST(JsonReader, WalksObjectsMemberByMember) {
  Reader in(R"( { "a" : 1 , "b\u0063" : { "d" : [ ] } , "e" : "f" } )");
  std::string_view name;
  in.begin_object();
  ASSERT_TRUE(in.next_key(name));
  EXPECT_EQ(name, "a");
  EXPECT_EQ(in.int64(), 1);
  ASSERT_TRUE(in.next_key(name));
  EXPECT_EQ(name, "bc");
  in.begin_object();
  ASSERT_TRUE(in.next_key(name));
  EXPECT_EQ(name, "d");
  in.begin_array();
  EXPECT_FALSE(in.next_element());
  EXPECT_FALSE(in.next_key(name));
  ASSERT_TRUE(in.next_key(name));
  EXPECT_EQ(name, "e");
  EXPECT_EQ(in.string(), "f");
  EXPECT_FALSE(in.next_key(name));
  in.finish();
}

TEST(JsonReader, SkipsAnyValue) {
  for (const char* json : {R"({"a":[1,-2.5e3,"x\n",{"b":null}],"c":{},"d":[],"e":true,"f":false})", "[]",
                           "{}", "\"s\"", "0", "-1", "null", " [ [ ] , { } ] "}) {
    EXPECT_NO_THROW(skip_all(json)) << json;
  }
}

TEST(JsonReader, RefusesWhatIsNotJson) {
  for (const char* bad : {"", " ", "{", "}", "[", "[1,]", "[,1]", "[1 2]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}",
                          "{\"a\":1 \"b\":2}", "{,}", "[1]]", "{} {}", "[1] x", "// comment\n1", "/* c */ 1",
                          "\xEF\xBB\xBF{}", "{\"a\":}", "[-]", "nulll", "[01]", "[1.]", "NaN"}) {
    EXPECT_THROW(skip_all(bad), ReadError) << bad;
  }
}

TEST(JsonReader, BoundsNesting) {
  const int max = keyspace::codec::kMaxDepth;
  EXPECT_NO_THROW(skip_all(std::string(max, '[') + std::string(max, ']')));
  EXPECT_THROW(skip_all(std::string(max + 1, '[') + std::string(max + 1, ']')), ReadError);
  std::string objects;
  for (int i = 0; i <= max; ++i) objects += "{\"a\":";
  objects += "1" + std::string(max + 1, '}');
  EXPECT_THROW(skip_all(objects), ReadError);
  // Far deeper than any stack would survive without the bound.
  EXPECT_THROW(skip_all(std::string(1000000, '[')), ReadError);
}

TEST(JsonReader, NamesTheOffsetAndTheFieldButNotTheText) {
  Reader in(R"({"id": "secret"})");
  std::string_view name;
  in.begin_object();
  ASSERT_TRUE(in.next_key(name));
  in.at_field("id");
  try {
    in.int64();
    FAIL() << "a string read as an integer";
  } catch (const ReadError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.offset(), 7u);
    EXPECT_NE(message.find("byte 7"), std::string::npos) << message;
    EXPECT_NE(message.find("'id'"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
  }
}

// Random documents as nlohmann::json writes them, read back value by value through skip().
nlohmann::json random_document(std::mt19937_64& random, int depth) {
  switch (depth > 4 ? random() % 5 : random() % 7) {
    case 0: return nullptr;
    case 1: return random() % 2 == 0;
    case 2: return static_cast<std::int64_t>(random());
    case 3: return static_cast<double>(static_cast<std::int64_t>(random())) / 1024.0;
    case 4: return std::string(random() % 8, static_cast<char>(' ' + random() % 95));
    case 5: {
      nlohmann::json array = nlohmann::json::array();
      for (int n = static_cast<int>(random() % 4); n > 0; --n) array.push_back(random_document(random, depth + 1));
      return array;
    }
    default: {
      nlohmann::json object = nlohmann::json::object();
      for (int n = static_cast<int>(random() % 4); n > 0; --n) {
        object[std::to_string(random() % 100)] = random_document(random, depth + 1);
      }
      return object;
    }
  }
}

TEST(JsonReader, ReadsEverythingNlohmannJsonWrites) {
  std::mt19937_64 random(3);
  for (int i = 0; i < 500; ++i) {
    const nlohmann::json document = random_document(random, 0);
    EXPECT_NO_THROW(skip_all(document.dump())) << document.dump();
    EXPECT_NO_THROW(skip_all(document.dump(2))) << document.dump(2);
  }
}

}  // namespace
