// Sessions belong to the index they were created in. Named with another owner's index parameters
// a session does not exist, whatever the operation, and nothing changes in Redis (checked on the
// raw keys through redis-cli), also from several processes at once. Operations by id alone find
// the index in the session.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "child_processes.hpp"
#include "keyspace_test/shared_redis.hpp"
#include "session_kinds/keyspace.hpp"

namespace {

namespace sk = tests::session_kinds;
using keyspace::test::redis_cli;

// Every key with its type, absolute expiry and contents, sorted: equal snapshots mean that
// nothing was written (a renewed TTL or index score shows as a changed expiry or score).
std::string raw_snapshot() {
  return redis_cli({"EVAL", R"lua(
local keys = redis.call('KEYS', '*')
table.sort(keys)
local out = {}
for _, k in ipairs(keys) do
  local t = redis.call('TYPE', k).ok
  local line = {k, t, tostring(redis.call('PEXPIRETIME', k))}
  local items = {}
  if t == 'string' then items = {redis.call('GET', k)}
  elseif t == 'hash' then items = redis.call('HGETALL', k)
  elseif t == 'zset' then items = redis.call('ZRANGE', k, 0, -1, 'WITHSCORES') end
  for _, item in ipairs(items) do line[#line + 1] = item end
  out[#out + 1] = table.concat(line, ' ')
end
return table.concat(out, '\n')
)lua",
                    "0"});
}

// How many of the foreign owner's operations on `sid` saw the session or wrote anything they
// could report: each must behave as if the session did not exist.
int foreign_operations_that_found(const sk::Keyspace& keys, const std::string& owner, const std::string& sid) {
  bool fn_called = false;
  const auto steal = [&](const std::string&) {
    fn_called = true;
    return std::string("stolen");
  };
  const sk::auth::Device& device = keys.auth.device;
  return device.get(owner, sid).has_value() + device.touch(owner, sid) + device.update(owner, sid, "stolen") +
         device.update(owner, sid, steal).has_value() + fn_called + device.destroy(owner, sid) +
         !device.list(owner).empty() + (device.destroy_all(owner) != 0);
}

class SessionOwner : public keyspace::test::RedisTest {
 protected:
  keyspace::Client client{options()};
  sk::Keyspace keys{client};
};

TEST_F(SessionOwner, EveryOperationOfAnotherOwnerFindsNothingAndChangesNothing) {
  const std::string sid = keys.auth.device.create("alice", "alice's");
  const std::string before = raw_snapshot();
  EXPECT_EQ(foreign_operations_that_found(keys, "bob", sid), 0);
  EXPECT_EQ(raw_snapshot(), before);  // no renewal, no entry in bob's index, no index for bob
  EXPECT_EQ(redis_cli({"EXISTS", keys.auth.device.index_key("bob")}), "0");
  EXPECT_EQ(keys.auth.device.get("alice", sid), "alice's");  // still alice's, untouched
  EXPECT_EQ(keys.auth.device.list("alice"), std::vector<std::string>{sid});
}

TEST_F(SessionOwner, AnotherOwnerOfACoLocatedSessionFindsNothingAndChangesNothing) {
  const std::string sid = keys.auth.web.create(1, sk::Login{1, "laptop"});
  const std::string before = raw_snapshot();
  int found = keys.auth.web.get(2, sid).has_value() + keys.auth.web.touch(2, sid) +
              keys.auth.web.update(2, sid, sk::Login{2, "x"}) + keys.auth.web.destroy(2, sid);
  found += keys.auth.web.update(2, sid, [](const sk::Login& l) { return l; }).has_value();
  found += !keys.auth.web.list(2).empty() + (keys.auth.web.destroy_all(2) != 0);
  EXPECT_EQ(found, 0);
  EXPECT_EQ(raw_snapshot(), before);
}

// An id that got into another index (written there by hand, or by an earlier version that
// renewed entries without checking the owner) is not that index's session.
TEST_F(SessionOwner, AnIdListedInAForeignIndexIsNeitherShownNorDestroyedThere) {
  const std::string sid = keys.auth.device.create("alice", "alice's");
  const std::string bob_index = keys.auth.device.index_key("bob");
  redis_cli({"ZADD", bob_index, "99999999999999", sid});
  EXPECT_FALSE(keys.auth.device.get("bob", sid));
  EXPECT_TRUE(keys.auth.device.list("bob").empty());  // and the stray entry is dropped
  EXPECT_EQ(redis_cli({"ZSCORE", bob_index, sid}), "");
  redis_cli({"ZADD", bob_index, "99999999999999", sid});
  EXPECT_EQ(keys.auth.device.destroy_all("bob"), 0);
  EXPECT_EQ(keys.auth.device.get("alice", sid), "alice's");
  EXPECT_EQ(keys.auth.device.list("alice"), std::vector<std::string>{sid});
}

TEST_F(SessionOwner, CreatingBeyondMaxNeverDestroysASessionOfAnotherIndex) {
  const std::string alices = keys.auth.web.create(1, sk::Login{1, "d"});
  // alice's id planted in user 2's index as its oldest entry; user 2 then fills the index
  redis_cli({"ZADD", keys.auth.web.index_key(2), "1", alices});
  for (int i = 0; i < 4; ++i) keys.auth.web.create(2, sk::Login{2, "d"});
  EXPECT_EQ(keys.auth.web.list(2).size(), 3u);
  EXPECT_TRUE(keys.auth.web.get(1, alices));
}

TEST_F(SessionOwner, ForeignOwnersInSeveralProcessesFindNothingAndChangeNothing) {
  std::vector<std::string> sids;
  for (int i = 0; i < 3; ++i) sids.push_back(keys.auth.device.create("alice", "v" + std::to_string(i)));
  const std::string before = raw_snapshot();
  const keyspace::Options opts = options();
  const std::vector<int> codes = keyspace::test::run_in_children(4, std::chrono::seconds(30), [&](int child) {
    keyspace::Client own{opts};
    const sk::Keyspace own_keys{own};
    const std::string owner = "bob" + std::to_string(child);
    int found = 0;
    for (int round = 0; round < 50; ++round) {
      for (const std::string& sid : sids) found += foreign_operations_that_found(own_keys, owner, sid);
    }
    return found > 0 ? 1 : 0;
  });
  EXPECT_EQ(codes, std::vector<int>(4, 0));
  EXPECT_EQ(raw_snapshot(), before);
}

TEST_F(SessionOwner, OperationsByIdAloneUseTheIndexTheSessionNames) {
  const std::string sid = keys.auth.device.create("alice", "v1");
  const std::string key = keys.auth.device.key(sid), index = keys.auth.device.index_key("alice");
  redis_cli({"PEXPIRE", key, "100000"});
  redis_cli({"ZADD", index, "1", sid});  // a stale score, to see the renewal
  EXPECT_EQ(keys.auth.device.get(sid), "v1");
  EXPECT_GT(std::stoll(redis_cli({"PTTL", key})), 3500000);
  EXPECT_GT(std::stoll(redis_cli({"ZSCORE", index, sid})), 1);
  EXPECT_TRUE(keys.auth.device.update(sid, "v2"));
  EXPECT_EQ(keys.auth.device.get("alice", sid), "v2");
  EXPECT_TRUE(keys.auth.device.touch(sid));
  EXPECT_EQ(keys.auth.device.list("alice"), std::vector<std::string>{sid});
  EXPECT_TRUE(keys.auth.device.destroy(sid));
  EXPECT_EQ(redis_cli({"ZCARD", index}), "0");  // the entry left with the session
  EXPECT_FALSE(keys.auth.device.get(sid));
  EXPECT_FALSE(keys.auth.device.touch(sid));
  EXPECT_FALSE(keys.auth.device.update(sid, "v3"));
  EXPECT_FALSE(keys.auth.device.destroy(sid));
  EXPECT_EQ(redis_cli({"DBSIZE"}), "0");
}

TEST_F(SessionOwner, OperationsByIdAloneOnAMissingSessionWriteNothing) {
  const std::string never = keyspace::session::new_id();
  EXPECT_FALSE(keys.auth.device.get(never));
  EXPECT_FALSE(keys.auth.device.touch(never));
  EXPECT_FALSE(keys.auth.device.update(never, "x"));
  EXPECT_FALSE(keys.auth.device.update(never, [](const std::string& v) { return v; }));
  EXPECT_FALSE(keys.auth.device.destroy(never));
  EXPECT_FALSE(keys.auth.api.get(never));
  EXPECT_EQ(redis_cli({"DBSIZE"}), "0");
}

// Sessions of an indexed kind are hashes naming their index; a plain string under a session key
// (the format before sessions named their index) reads as no session, without an error.
TEST_F(SessionOwner, ASessionStoredAsAPlainStringReadsAsNoSession) {
  const std::string sid = keyspace::session::new_id();
  redis_cli({"SET", keys.auth.device.key(sid), "old", "PX", "100000"});
  redis_cli({"ZADD", keys.auth.device.index_key("alice"), "99999999999999", sid});
  EXPECT_FALSE(keys.auth.device.get("alice", sid));
  EXPECT_FALSE(keys.auth.device.get(sid));
  EXPECT_FALSE(keys.auth.device.touch("alice", sid));
  EXPECT_FALSE(keys.auth.device.update(sid, "new"));
  EXPECT_TRUE(keys.auth.device.list("alice").empty());
  EXPECT_EQ(redis_cli({"GET", keys.auth.device.key(sid)}), "old");
}

TEST_F(SessionOwner, TheStoredSessionNamesItsIndex) {
  const std::string sid = keys.auth.device.create("alice", "v");
  EXPECT_EQ(redis_cli({"TYPE", keys.auth.device.key(sid)}), "hash");
  EXPECT_EQ(redis_cli({"HGET", keys.auth.device.key(sid), "owner"}), keys.auth.device.index_key("alice"));
  EXPECT_EQ(redis_cli({"HGET", keys.auth.device.key(sid), "value"}), "v");
}

}  // namespace
