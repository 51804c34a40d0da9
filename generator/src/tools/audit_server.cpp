// The I/O half of `keyspace audit`: SCAN, then TYPE, PTTL and sampled MEMORY USAGE pipelined per
// batch, over one hiredis connection with a connect and a reply timeout.
#include <chrono>
#include <memory>
#include <thread>

#include <sys/time.h>

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include "model/key_patterns.hpp"
#include "tools/audit.hpp"

namespace keyspace::gen {
namespace {

struct ContextFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Context = std::unique_ptr<redisContext, ContextFree>;
using Reply = std::unique_ptr<redisReply, ReplyFree>;

void append(redisContext* c, const std::vector<std::string>& argv) {
  std::vector<const char*> args;
  std::vector<std::size_t> lengths;
  for (const std::string& a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  if (redisAppendCommandArgv(c, static_cast<int>(args.size()), args.data(), lengths.data()) != REDIS_OK) {
    throw AuditUnavailable(fmt::format("cannot send {}: {}", argv[0], c->errstr));
  }
}

// The next reply, an error reply included.
Reply next_reply(redisContext* c) {
  void* reply = nullptr;
  if (redisGetReply(c, &reply) != REDIS_OK || reply == nullptr) {
    throw AuditUnavailable(fmt::format("lost the connection to Redis: {}", c->errstr));
  }
  return Reply(static_cast<redisReply*>(reply));
}

std::string error_text(const redisReply& reply) { return std::string(reply.str, reply.len); }

// The next reply, which must not be an error.
Reply next_success(redisContext* c, const char* command) {
  Reply out = next_reply(c);
  if (out->type == REDIS_REPLY_ERROR) {
    throw AuditUnavailable(fmt::format("Redis refused {}: {}", command, printable_key(error_text(*out))));
  }
  return out;
}

Reply command(redisContext* c, const std::vector<std::string>& argv) {
  append(c, argv);
  return next_success(c, argv[0].c_str());
}

timeval to_timeval(std::chrono::milliseconds ms) {
  return {static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

Context connect(const AuditOptions& audit) {
  const keyspace::Options& options = audit.server;
  const timeval timeout = to_timeval(audit.timeout);
  Context c(options.unix_socket.empty() ? redisConnectWithTimeout(options.host.c_str(), options.port, timeout)
                                        : redisConnectUnixWithTimeout(options.unix_socket.c_str(), timeout));
  const std::string endpoint =
      options.unix_socket.empty() ? fmt::format("{}:{}", options.host, options.port) : options.unix_socket;
  if (!c || c->err) throw AuditUnavailable(fmt::format("cannot connect to {}: {}", endpoint, c ? c->errstr : "out of memory"));
  if (redisSetTimeout(c.get(), timeout) != REDIS_OK) {
    throw AuditUnavailable(fmt::format("cannot set a timeout on the connection: {}", c->errstr));
  }
  if (!options.username.empty()) {
    command(c.get(), {"AUTH", options.username, options.password});
  } else if (!options.password.empty()) {
    command(c.get(), {"AUTH", options.password});
  }
  if (options.db != 0) command(c.get(), {"SELECT", std::to_string(options.db)});
  return c;
}

}  // namespace

AuditReport audit_server(const Schema& schema, const AuditOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const KeyClassifier classifier(schema, options.environment, options.server.key_prefix);
  AuditReport report;
  report.environment = options.environment;
  report.templates = classifier.templates();
  report.per_template.resize(report.templates.size());
  const Context c = connect(options);
  const std::string match = glob_escape(classifier.prefix()) + "*";
  // SCAN returns about COUNT keys a page without MATCH; with it, pages may come back empty, so
  // the pages are bounded too: twice what the budget needs when pages are full.
  const std::size_t max_pages = std::max<std::size_t>(1, 2 * ((options.budget + options.count - 1) / options.count));
  std::size_t pages = 0;
  std::string cursor = "0";
  bool truncated = false;  // the budget ended the run inside a page
  do {
    const Reply page = command(c.get(), {"SCAN", cursor, "MATCH", match, "COUNT", std::to_string(options.count)});
    ++pages;
    if (page->type != REDIS_REPLY_ARRAY || page->elements != 2) throw AuditUnavailable("SCAN answered something else");
    cursor.assign(page->element[0]->str, page->element[0]->len);
    const redisReply* keys = page->element[1];
    std::vector<KeyFacts> batch;
    for (std::size_t i = 0; i < keys->elements && report.scanned + batch.size() < options.budget; ++i) {
      batch.push_back({std::string(keys->element[i]->str, keys->element[i]->len), "", -2, std::nullopt});
    }
    truncated = batch.size() < keys->elements;
    // Which keys get a MEMORY USAGE: the first `samples` of each template (decided before asking).
    std::vector<bool> sampled(batch.size(), false);
    std::vector<std::size_t> taken(report.templates.size(), 0);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::optional<std::size_t> t = classifier.classify(batch[i].key);
      if (t && report.per_template[*t].memory_samples + taken[*t] < options.samples) {
        sampled[i] = true;
        ++taken[*t];
      }
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      append(c.get(), {"TYPE", batch[i].key});
      append(c.get(), {"PTTL", batch[i].key});
      if (sampled[i]) append(c.get(), {"MEMORY", "USAGE", batch[i].key, "SAMPLES", "5"});
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // Every reply of the key is read before deciding, so that the pipeline stays in step.
      const Reply type = next_reply(c.get());
      const Reply pttl = next_reply(c.get());
      const Reply memory = sampled[i] ? next_reply(c.get()) : nullptr;
      const redisReply* refused = type->type == REDIS_REPLY_ERROR ? type.get() : pttl->type == REDIS_REPLY_ERROR ? pttl.get() : nullptr;
      if (refused != nullptr || type->type != REDIS_REPLY_STATUS || pttl->type != REDIS_REPLY_INTEGER) {
        ++report.scanned;
        ++report.unreadable;
        if (report.first_error.empty()) {
          report.first_error = refused != nullptr ? printable_key(error_text(*refused)) : "unexpected reply to TYPE or PTTL";
        }
        continue;
      }
      batch[i].type = error_text(*type);
      batch[i].pttl = pttl->integer;
      if (memory && memory->type == REDIS_REPLY_INTEGER) batch[i].memory = memory->integer;  // a refusal: no sample
      if (batch[i].type == "none") batch[i].pttl = -2;
      record_key(classifier, batch[i], report);
    }
    // The rate: no faster than max_keys_per_second over the run so far, counting the keys SCAN
    // walked (COUNT per page) when that is more than it returned.
    const double walked = static_cast<double>(std::max(report.scanned, pages * options.count));
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double due = walked / options.max_keys_per_second;
    if (due > elapsed) std::this_thread::sleep_for(std::chrono::duration<double>(due - elapsed));
  } while (cursor != "0" && report.scanned < options.budget && pages < max_pages);
  report.complete = cursor == "0" && !truncated;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace keyspace::gen
