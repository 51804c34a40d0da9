// The shop example program (examples/shop/main.cpp) runs against a real Redis and does what it
// says: it exits 0, writes under the "dev:" prefix and reports the rejected parameter.
#include <string>

#include <gtest/gtest.h>

#include "keyspace_test/shared_redis.hpp"
#include "subprocess.hpp"

namespace {

using keyspace::test::redis_cli;

class ShopExample : public keyspace::test::RedisTest {};

TEST_F(ShopExample, RunsAgainstRedisAndWritesPrefixedKeysWithTtls) {
  const keyspace::test::ProcessOutput result =
      keyspace::test::run({SHOP_EXAMPLE_PATH, std::to_string(redis().port()), redis().host()});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("profile dev:profile:user:42: Ada"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("page views: 5"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("rejected: "), std::string::npos) << result.output;
  EXPECT_EQ(redis_cli({"EXISTS", "dev:profile:user:42"}), "1");
  EXPECT_GT(std::stoll(redis_cli({"PTTL", "dev:cart:open:42"})), 0);
  EXPECT_EQ(redis_cli({"EXISTS", "dev:cart:checkout:42"}), "0");
}

}  // namespace
