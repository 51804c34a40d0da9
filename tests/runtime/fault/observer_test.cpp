// The observer hook and the ready MetricsObserver: every command is reported with the key's
// name and template (never the rendered key), its operation, latency and outcome; the metrics
// render as Prometheus text.

#include <sstream>

#include <gtest/gtest.h>

#include "fault_support.hpp"
#include "keyspace/detail/client_access.hpp"
#include "keyspace/metrics_observer.hpp"

namespace fault_test {
namespace {

using keyspace::CommandOutcome;
using keyspace::test::RedisServer;
namespace ops = keyspace::ops;

// A get decodes the value after the command completed: a value that does not decode is the
// caller's DecodeError, while the command itself went well and is reported as such.
TEST(Observer, AValueThatDoesNotDecodeIsNoFailedCommand) {
  RedisServer server;
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server, 200ms);
  options.observer = observer;
  keyspace::Client client{options};
  ops::set<keyspace::StringCodec>(client, kUserName, user_key(client, 7), "not a number");
  EXPECT_THROW(ops::get<keyspace::Int64Codec>(client, kUserName, user_key(client, 7)), keyspace::DecodeError);
  EXPECT_EQ(observer->last("get").outcome, CommandOutcome::ok);
  EXPECT_EQ(observer->last("get").attempts, 1);
}

TEST(Observer, ReportsEveryCommandByTemplateWithItsOutcome) {
  RedisServer server;
  auto observer = std::make_shared<RecordingObserver>();
  keyspace::Options options = options_for(server, 200ms);
  options.observer = observer;
  keyspace::Client client{options};
  ops::set<keyspace::StringCodec>(client, kUserName, user_key(client, 4242), "v");
  ops::get<keyspace::StringCodec>(client, kUserName, user_key(client, 4242));
  EXPECT_THROW(keyspace::detail::ClientAccess::execute(client, kUserName, "hlen", {"HLEN", user_key(client, 4242)}),
               keyspace::CommandError);
  static const keyspace::Script echo("return ARGV[1]");
  keyspace::detail::ClientAccess::run_script(client, kUserName, "echo", echo, {user_key(client, 4242)}, {"x"});
  keyspace::detail::ClientAccess::execute_blocking(client, kUserName, "pop", {"BLPOP", "fault:empty", "0.05"}, 50ms);
  client.ping();
  EXPECT_THROW(keyspace::detail::ClientAccess::execute(client, kNoKey, "debug", {"DEBUG", "SLEEP", "0.4"}), keyspace::TimeoutError);

  const std::vector<RecordedEvent> events = observer->events();
  ASSERT_EQ(events.size(), 7u);
  const std::vector<std::pair<std::string, CommandOutcome>> expected{
      {"set", CommandOutcome::ok},          {"get", CommandOutcome::ok},
      {"hlen", CommandOutcome::error_reply}, {"echo", CommandOutcome::ok},
      {"pop", CommandOutcome::ok},          {"ping", CommandOutcome::ok},
      {"debug", CommandOutcome::timeout}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(events[i].op, expected[i].first);
    EXPECT_EQ(events[i].outcome, expected[i].second) << events[i].op;
    EXPECT_GT(events[i].latency.count(), 0) << events[i].op;
    EXPECT_FALSE(contains(events[i].key_name, "4242")) << "a rendered key leaked";
    EXPECT_FALSE(contains(events[i].key_template, "4242")) << "a rendered key leaked";
  }
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(events[i].key_name, "cache.user_name");
    EXPECT_EQ(events[i].key_template, "cache:user:{user_id}:name");
  }
  EXPECT_EQ(events[5].key_name, "");  // ping is client-level work
  EXPECT_GE(events[6].latency, 200ms);

  server.stop();
  EXPECT_THROW(client.ping(), keyspace::ConnectionError);
  EXPECT_EQ(observer->last("ping").outcome, CommandOutcome::connection_error);
  EXPECT_EQ(observer->last("ping").attempts, 3);  // PING is retried like a read
}

keyspace::CommandEvent event(std::string_view name, std::string_view key_template,
                             std::string_view op, std::chrono::microseconds latency,
                             CommandOutcome outcome = CommandOutcome::ok, int attempts = 1) {
  keyspace::CommandEvent e;
  e.key_name = name;
  e.key_template = key_template;
  e.op = op;
  e.latency = latency;
  e.outcome = outcome;
  e.attempts = attempts;
  return e;
}

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

TEST(MetricsObserver, RendersCountersHistogramsAndCacheReadsAsPrometheusText) {
  keyspace::MetricsObserver metrics;
  const std::string_view tmpl = "cache:user:{user_id}:profile";
  metrics.on_command(event("cache.user_profile", tmpl, "get", 50us));
  metrics.on_command(event("cache.user_profile", tmpl, "get", 3ms));
  metrics.on_command(event("cache.user_profile", tmpl, "get", 2s, CommandOutcome::timeout, 3));
  metrics.on_command(event("cache.user_profile", tmpl, "set", 200us, CommandOutcome::error_reply));
  const keyspace::KeySpec spec{"cache.user_profile", tmpl, std::chrono::hours(1)};
  metrics.on_cache(spec, keyspace::CacheOutcome::hit);
  metrics.on_cache(spec, keyspace::CacheOutcome::hit);
  metrics.on_cache(spec, keyspace::CacheOutcome::degraded_miss);

  const std::string text = metrics.prometheus_text();
  const std::string labels = R"(key="cache.user_profile",template="cache:user:{user_id}:profile")";
  for (const std::string& line : {
           std::string("# TYPE keyspace_commands_total counter"),
           std::string("# TYPE keyspace_command_duration_seconds histogram"),
           std::string("# TYPE keyspace_cache_reads_total counter"),
           "keyspace_commands_total{" + labels + R"(,op="get",outcome="ok"} 2)",
           "keyspace_commands_total{" + labels + R"(,op="get",outcome="timeout"} 1)",
           "keyspace_commands_total{" + labels + R"(,op="set",outcome="error_reply"} 1)",
           "keyspace_command_retries_total{" + labels + R"(,op="get"} 2)",
           "keyspace_command_duration_seconds_bucket{" + labels + R"(,op="get",le="0.0001"} 1)",
           "keyspace_command_duration_seconds_bucket{" + labels + R"(,op="get",le="0.0025"} 1)",
           "keyspace_command_duration_seconds_bucket{" + labels + R"(,op="get",le="0.005"} 2)",
           "keyspace_command_duration_seconds_bucket{" + labels + R"(,op="get",le="1"} 2)",
           "keyspace_command_duration_seconds_bucket{" + labels + R"(,op="get",le="+Inf"} 3)",
           "keyspace_command_duration_seconds_sum{" + labels + R"(,op="get"} 2.00305)",
           "keyspace_command_duration_seconds_count{" + labels + R"(,op="get"} 3)",
           "keyspace_cache_reads_total{" + labels + R"(,outcome="hit"} 2)",
           "keyspace_cache_reads_total{" + labels + R"(,outcome="miss"} 0)",
           "keyspace_cache_reads_total{" + labels + R"(,outcome="degraded_miss"} 1)",
           "keyspace_cache_reads_total{" + labels + R"(,outcome="stale"} 0)",
       }) {
    EXPECT_TRUE(has_line(text, line)) << "missing: " << line << "\nin:\n" << text;
  }
  EXPECT_EQ(metrics.commands("cache.user_profile", "get", CommandOutcome::ok), 2u);
  EXPECT_EQ(metrics.cache_reads("cache.user_profile", keyspace::CacheOutcome::hit), 2u);
  EXPECT_EQ(metrics.commands("cache.other", "get", CommandOutcome::ok), 0u);
}

TEST(MetricsObserver, EscapesLabelValues) {
  keyspace::MetricsObserver metrics;
  metrics.on_command(event("odd\"name\\x", "line\nbreak", "op", 1us));
  const std::string text = metrics.prometheus_text();
  EXPECT_TRUE(has_line(
      text,
      R"(keyspace_commands_total{key="odd\"name\\x",template="line\nbreak",op="op",outcome="ok"} 1)"))
      << text;
}

// The whole exposition, line by line, has the shape the text format 0.0.4 requires: comments
// are HELP or TYPE, samples are `name{labels} value` with a numeric value.
TEST(MetricsObserver, EveryLineIsAValidExpositionLine) {
  keyspace::MetricsObserver metrics;
  metrics.on_command(event("a.b", "a:{x}", "get", 10us));
  metrics.on_command(event("", "", "ping", 10us));
  std::istringstream in(metrics.prometheus_text());
  int samples = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    const std::size_t open = line.find('{');
    const std::size_t close = line.rfind("} ");
    ASSERT_NE(open, std::string::npos) << line;
    ASSERT_NE(close, std::string::npos) << line;
    EXPECT_EQ(line.substr(0, 9), "keyspace_") << line;
    const std::string value = line.substr(close + 2);
    std::size_t parsed = 0;
    (void)std::stod(value, &parsed);
    EXPECT_EQ(parsed, value.size()) << line;
    ++samples;
  }
  // Per series: 4 outcomes + 1 retries + 14 buckets + sum + count.
  EXPECT_EQ(samples, 2 * (4 + 1 + 14 + 2));
}

}  // namespace
}  // namespace fault_test
