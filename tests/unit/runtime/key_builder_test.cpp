// Rendering keys: environment prefix, literals, escaped parameters, and string parameter rules
// checked before any command is sent. A Client connects lazily, so no server is needed here.

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "keyspace/errors.hpp"
#include "keyspace/kinds/key_builder.hpp"

namespace {

using namespace std::chrono_literals;

constexpr keyspace::KeySpec kSpec{"rate.login_attempts", "rate:auth:{ip}", 5min};

keyspace::Client client_in(const std::string& environment) {
  keyspace::Options options;
  options.environment = environment;
  return keyspace::Client(options);
}

std::string message_of_invalid_key(const keyspace::StringRule& rule, std::string_view value) {
  try {
    rule.check(value, kSpec);
  } catch (const keyspace::InvalidKey& e) {
    EXPECT_EQ(e.key_template(), "rate:auth:{ip}");
    return e.what();
  }
  ADD_FAILURE() << "'" << value << "' was accepted";
  return {};
}

TEST(StringRule, AcceptsValuesThatMatchTheWholePattern) {
  const keyspace::StringRule rule("ip", "[0-9a-f.:]{3,45}", 0);
  EXPECT_NO_THROW(rule.check("10.0.0.1", kSpec));
  EXPECT_NO_THROW(rule.check("::1", kSpec));
}

TEST(StringRule, RejectsPartialMatchesNamingParameterAndTemplate) {
  const keyspace::StringRule rule("ip", "[0-9.]+", 0);
  const std::string message = message_of_invalid_key(rule, "10.0.0.1; DROP");
  EXPECT_NE(message.find("'ip'"), std::string::npos) << message;
  EXPECT_NE(message.find("rate:auth:{ip}"), std::string::npos) << message;
  EXPECT_NE(message.find("pattern"), std::string::npos) << message;
  EXPECT_EQ(message.find("DROP"), std::string::npos) << "the value is user data: " << message;
}

TEST(StringRule, RejectsEmptyValuesEvenWithoutPattern) {
  const keyspace::StringRule rule("token", "", 0);
  EXPECT_NO_THROW(rule.check("x", kSpec));
  const std::string message = message_of_invalid_key(rule, "");
  EXPECT_NE(message.find("'token'"), std::string::npos) << message;
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
}

TEST(StringRule, MaxLengthCountsRawBytesNotEscapedOnes) {
  const keyspace::StringRule rule("name", "", 4);
  EXPECT_NO_THROW(rule.check("::::", kSpec));  // 4 bytes raw, 12 once escaped
  const std::string message = message_of_invalid_key(rule, "abcde");
  EXPECT_NE(message.find("max_length 4"), std::string::npos) << message;
}

TEST(StringRule, InvalidPatternIsAConfigErrorNamingTheParameter) {
  try {
    keyspace::StringRule rule("ip", "[0-9", 0);
    FAIL() << "the pattern compiled";
  } catch (const keyspace::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'ip'"), std::string::npos) << e.what();
  }
}

TEST(KeyBuilder, StartsWithTheEnvironmentPrefix) {
  const keyspace::Client prod = client_in("prod");
  EXPECT_EQ(keyspace::KeyBuilder(prod, kSpec).literal("rate:auth:").param(std::int64_t{7}).build(),
            "prod:rate:auth:7");
  const keyspace::Client none = client_in("");
  EXPECT_EQ(keyspace::KeyBuilder(none, kSpec).literal("rate:auth:").param(std::int64_t{7}).build(),
            "rate:auth:7");
}

TEST(KeyBuilder, RendersIntegersAsDecimal) {
  const keyspace::Client client = client_in("");
  EXPECT_EQ(keyspace::KeyBuilder(client, kSpec)
                .param(std::numeric_limits<std::int64_t>::min())
                .literal(":")
                .param(std::numeric_limits<std::uint64_t>::max())
                .build(),
            "-9223372036854775808:18446744073709551615");
}

TEST(KeyBuilder, EscapesStringParamsAndKeepsEnumNamesVerbatim) {
  const keyspace::Client client = client_in("dev");
  const keyspace::StringRule rule("ip", "", 0);
  EXPECT_EQ(keyspace::KeyBuilder(client, kSpec)
                .literal("rate:auth:")
                .param("a:b*{c}", rule)
                .literal(":")
                .param_name("admin")
                .build(),
            "dev:rate:auth:a%3Ab%2A%7Bc%7D:admin");
}

TEST(KeyBuilder, ChecksTheRuleBeforeRendering) {
  const keyspace::Client client = client_in("");
  const keyspace::StringRule rule("ip", "[0-9.]+", 0);
  keyspace::KeyBuilder builder(client, kSpec);
  EXPECT_THROW(builder.param("nope", rule), keyspace::InvalidKey);
}

TEST(Client, RejectsAnEnvironmentThatIsNotACleanKeySegment) {
  for (const char* bad : {"prod:eu", "a b", "*", "x{y}"}) {
    EXPECT_THROW(client_in(bad), keyspace::ConfigError) << bad;
  }
}

TEST(Client, RejectsAnEmptyPool) {
  keyspace::Options options;
  options.pool_size = 0;
  EXPECT_THROW(keyspace::Client{options}, keyspace::ConfigError);
}

}  // namespace
