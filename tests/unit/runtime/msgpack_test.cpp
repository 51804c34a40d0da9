// The MessagePack writer and reader of structured values: the writer's bytes are nlohmann::json's
// to_msgpack for the same values, the reader reads them and every other format a writer may choose
// for the same value, and hostile bytes end in a ReadError, never a crash or a long loop.

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "keyspace/codec/msgpack_reader.hpp"
#include "keyspace/codec/msgpack_writer.hpp"
#include "keyspace/errors.hpp"

namespace {

using keyspace::codec::ReadError;
using keyspace::msgpack::Reader;
using keyspace::msgpack::Writer;

std::string nlohmann_msgpack(const nlohmann::json& j) {
  std::string out;
  nlohmann::json::to_msgpack(j, out);
  return out;
}

// Writes `j` through the writer, value by value.
void write(Writer& out, const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: out.null(); return;
    case nlohmann::json::value_t::boolean: out.boolean(j.get<bool>()); return;
    case nlohmann::json::value_t::number_integer: out.int64(j.get<std::int64_t>()); return;
    case nlohmann::json::value_t::number_unsigned: out.uint64(j.get<std::uint64_t>()); return;
    case nlohmann::json::value_t::number_float: out.number(j.get<double>()); return;
    case nlohmann::json::value_t::string: out.string(j.get_ref<const std::string&>()); return;
    case nlohmann::json::value_t::array:
      out.begin_array(j.size());
      for (const auto& element : j) write(out, element);
      out.end_array();
      return;
    case nlohmann::json::value_t::object:
      out.begin_object(j.size());
      for (const auto& [key, value] : j.items()) {
        out.key(key);
        write(out, value);
      }
      out.end_object();
      return;
    default: FAIL() << "no such value in the schema language";
  }
}

std::string written(const nlohmann::json& j) {
  Writer out;
  write(out, j);
  return out.text();
}

bool same_double(double a, double b) { return std::isnan(a) ? std::isnan(b) : a == b && std::signbit(a) == std::signbit(b); }

// Reads the value `expected` describes, asking the reader for exactly its type.
void expect_read(Reader& in, const nlohmann::json& expected) {
  switch (expected.type()) {
    case nlohmann::json::value_t::null: EXPECT_TRUE(in.consume_null()); return;
    case nlohmann::json::value_t::boolean: EXPECT_EQ(in.boolean(), expected.get<bool>()); return;
    case nlohmann::json::value_t::number_integer: EXPECT_EQ(in.int64(), expected.get<std::int64_t>()); return;
    case nlohmann::json::value_t::number_unsigned: EXPECT_EQ(in.uint64(), expected.get<std::uint64_t>()); return;
    case nlohmann::json::value_t::number_float: {
      const double value = in.number();
      EXPECT_TRUE(same_double(value, expected.get<double>())) << value;
      return;
    }
    case nlohmann::json::value_t::string: EXPECT_EQ(in.string(), expected.get_ref<const std::string&>()); return;
    case nlohmann::json::value_t::array:
      in.begin_array();
      for (const auto& element : expected) {
        ASSERT_TRUE(in.next_element());
        expect_read(in, element);
      }
      EXPECT_FALSE(in.next_element());
      return;
    case nlohmann::json::value_t::object: {
      in.begin_object();
      for (const auto& [key, value] : expected.items()) {
        std::string_view name;
        ASSERT_TRUE(in.next_key(name));
        EXPECT_EQ(name, key);
        expect_read(in, value);
      }
      std::string_view name;
      EXPECT_FALSE(in.next_key(name));
      return;
    }
    default: FAIL() << "no such value in the schema language";
  }
}

void skip_all(const std::string& bytes) {
  Reader in(bytes);
  in.skip();
  in.finish();
}

nlohmann::json sized_string(std::size_t n) { return std::string(n, 'x'); }

std::vector<nlohmann::json> boundary_values() {
  std::vector<nlohmann::json> values = {nullptr, true, false, "", "é", sized_string(31), sized_string(32),
                                        sized_string(255), sized_string(256), sized_string(65535), sized_string(65536)};
  for (std::int64_t v : std::vector<std::int64_t>{0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295LL, 4294967296LL, -1,
                         -32, -33, -128, -129, -32768, -32769, -2147483648LL, -2147483649LL,
                         std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    values.emplace_back(v);
  }
  values.emplace_back(std::numeric_limits<std::uint64_t>::max());
  for (double v : {0.0, -0.0, 0.5, 0.1, 1.0 / 3, 1e300, -1e-300, 16777216.0, 16777217.0,
                   static_cast<double>(std::numeric_limits<float>::max()),
                   static_cast<double>(std::numeric_limits<float>::max()) * 2,
                   static_cast<double>(std::numeric_limits<float>::denorm_min()), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(), std::nan("")}) {
    values.emplace_back(v);
  }
  for (std::size_t n : {0u, 15u, 16u, 65535u, 65536u}) {
    values.push_back(nlohmann::json::array());
    nlohmann::json object = nlohmann::json::object();
    for (std::size_t i = 0; i < n; ++i) {
      values.back().push_back(static_cast<std::int64_t>(i));
      if (n <= 65536) object[std::to_string(i)] = i % 2 == 0;
    }
    values.push_back(object);
  }
  return values;
}

TEST(MsgpackWriter, WritesTheBytesOfNlohmannToMsgpackAtEveryFormatBoundary) {
  for (const nlohmann::json& value : boundary_values()) {
    const std::string expected = nlohmann_msgpack(value);
    const std::string actual = written(value);
    EXPECT_EQ(actual, expected) << value.dump().substr(0, 80);
  }
}

TEST(MsgpackReader, ReadsBackEveryFormatBoundary) {
  for (const nlohmann::json& value : boundary_values()) {
    const std::string bytes = nlohmann_msgpack(value);
    Reader in(bytes);
    expect_read(in, value);
    EXPECT_NO_THROW(in.finish());
    EXPECT_NO_THROW(skip_all(bytes));
  }
}

// Other writers choose other widths for the same integer, or a float 64 where a float 32 holds it.
TEST(MsgpackReader, ReadsIntegersOfAnyWidthIntoTheTypeAskedFor) {
  const auto int64 = [](const std::string& bytes) { return Reader(bytes).int64(); };
  const auto uint64 = [](const std::string& bytes) { return Reader(bytes).uint64(); };
  EXPECT_EQ(int64(std::string("\xd0\x05", 2)), 5);
  EXPECT_EQ(int64(std::string("\xd3\xff\xff\xff\xff\xff\xff\xff\xff", 9)), -1);
  EXPECT_EQ(int64(std::string("\xcf\x7f\xff\xff\xff\xff\xff\xff\xff", 9)), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(int64(std::string("\xd3\x80\x00\x00\x00\x00\x00\x00\x00", 9)), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(int64(std::string("\xd1\x80\x00", 3)), -32768);
  EXPECT_EQ(uint64(std::string("\xd2\x00\x00\x00\x07", 5)), 7u);
  EXPECT_EQ(uint64(std::string("\xcf\xff\xff\xff\xff\xff\xff\xff\xff", 9)), std::numeric_limits<std::uint64_t>::max());
  EXPECT_THROW(int64(std::string("\xcf\x80\x00\x00\x00\x00\x00\x00\x00", 9)), ReadError);  // 2^63
  EXPECT_THROW(uint64(std::string("\xff", 1)), ReadError);                               // -1
  EXPECT_THROW(int64(std::string("\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00", 9)), ReadError);  // 1.0
  EXPECT_EQ(Reader(std::string("\xcb\x3f\xe0\x00\x00\x00\x00\x00\x00", 9)).number(), 0.5);
  EXPECT_EQ(Reader(std::string("\xd0\xfe", 2)).number(), -2.0);
}

nlohmann::json random_document(std::mt19937_64& random, int depth) {
  switch (depth > 4 ? random() % 6 : random() % 8) {
    case 0: return nullptr;
    case 1: return random() % 2 == 0;
    case 2: return static_cast<std::int64_t>(random()) >> (random() % 64);
    case 3: return random() >> (random() % 64);
    case 4: return static_cast<double>(static_cast<std::int64_t>(random())) / static_cast<double>(1 + random() % 4096);
    case 5: return std::string(random() % 40, static_cast<char>(random() % 256));
    case 6: {
      nlohmann::json array = nlohmann::json::array();
      for (int n = static_cast<int>(random() % 20); n > 0; --n) array.push_back(random_document(random, depth + 1));
      return array;
    }
    default: {
      nlohmann::json object = nlohmann::json::object();
      for (int n = static_cast<int>(random() % 20); n > 0; --n) {
        object[std::to_string(random() % 100)] = random_document(random, depth + 1);
      }
      return object;
    }
  }
}

TEST(Msgpack, RandomDocumentsAreWrittenAsNlohmannWritesThemAndReadBack) {
  std::mt19937_64 random(7);
  for (int i = 0; i < 500; ++i) {
    const nlohmann::json document = random_document(random, 0);
    const std::string bytes = nlohmann_msgpack(document);
    ASSERT_EQ(written(document), bytes) << document.dump();
    Reader in(bytes);
    expect_read(in, document);
    EXPECT_NO_THROW(in.finish());
    EXPECT_NO_THROW(skip_all(bytes));
  }
}

TEST(MsgpackReader, EveryTruncationIsAReadError) {
  std::mt19937_64 random(11);
  for (int i = 0; i < 50; ++i) {
    const std::string bytes = nlohmann_msgpack(random_document(random, 0));
    for (std::size_t n = 0; n < bytes.size(); ++n) EXPECT_THROW(skip_all(bytes.substr(0, n)), ReadError);
  }
}

TEST(MsgpackReader, RefusesFormatsAndShapesNoValueUses) {
  const std::vector<std::string> refused = {
      std::string("\xc1", 1),                          // never used
      std::string("\xc4\x01x", 3),                     // bin 8
      std::string("\xd4\x01\x00", 3),                  // fixext 1 (and the timestamp extension's family)
      std::string("\xc7\x00\x01", 3),                  // ext 8
      std::string("\x81\x01\x01", 3),                  // a map whose key is an integer
      std::string("\xdd\xff\xff\xff\xff", 5),          // an array counting 2^32 - 1 elements, none there
      std::string("\xdf\xff\xff\xff\xff\xa0", 6),      // a map counting more members than bytes
      std::string("\xdb\xff\xff\xff\xff", 5),          // a string longer than the input
      std::string("\xc0\xc0", 2),                      // bytes after the value
  };
  for (const std::string& bytes : refused) EXPECT_THROW(skip_all(bytes), ReadError) << testing::PrintToString(bytes);
}

TEST(MsgpackReader, RefusesToNestDeeperThanTheLimitWithoutRecursingThere) {
  const int max = keyspace::codec::kMaxDepth;
  const auto arrays = [](std::size_t depth) { return std::string(depth, '\x91') + '\xc0'; };
  EXPECT_NO_THROW(skip_all(arrays(static_cast<std::size_t>(max))));
  EXPECT_THROW(skip_all(arrays(static_cast<std::size_t>(max) + 1)), ReadError);
  EXPECT_THROW(skip_all(arrays(1000000)), ReadError);
}

TEST(MsgpackReader, NamesTheOffsetAndTheFieldButNotTheBytes) {
  const std::string bytes = nlohmann_msgpack({{"id", "secret"}});
  Reader in(bytes);
  in.begin_object();
  std::string_view name;
  ASSERT_TRUE(in.next_key(name));
  in.at_field("id");
  try {
    in.int64();
    FAIL() << "read a string as an integer";
  } catch (const ReadError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.offset(), 4u);
    EXPECT_NE(message.find("byte 4"), std::string::npos) << message;
    EXPECT_NE(message.find("'id'"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
  }
}

TEST(MsgpackWriter, RefusesToNestDeeperThanTheReaderReads) {
  Writer out;
  for (int i = 0; i < keyspace::codec::kMaxDepth; ++i) out.begin_array(1);
  EXPECT_THROW(out.begin_object(1), keyspace::EncodeError);
}

}  // namespace
