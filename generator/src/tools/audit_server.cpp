// The I/O half of `keyspace audit`: SCAN, then TYPE, PTTL and sampled MEMORY USAGE pipelined per
// batch, over one hiredis connection.
#include <charconv>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <hiredis/hiredis.h>

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
    throw std::runtime_error(fmt::format("cannot send {}: {}", argv[0], c->errstr));
  }
}

Reply next_reply(redisContext* c) {
  void* reply = nullptr;
  if (redisGetReply(c, &reply) != REDIS_OK || reply == nullptr) {
    throw std::runtime_error(fmt::format("lost the connection to Redis: {}", c->errstr));
  }
  Reply out(static_cast<redisReply*>(reply));
  if (out->type == REDIS_REPLY_ERROR) throw std::runtime_error(fmt::format("Redis answered: {}", out->str));
  return out;
}

Reply command(redisContext* c, const std::vector<std::string>& argv) {
  append(c, argv);
  return next_reply(c);
}

Context connect(const AuditOptions& options) {
  Context c(redisConnect(options.host.c_str(), options.port));
  if (!c || c->err) {
    throw std::runtime_error(fmt::format("cannot connect to {}:{}: {}", options.host, options.port,
                                         c ? c->errstr : "out of memory"));
  }
  if (!options.password.empty()) {
    command(c.get(), options.username.empty() ? std::vector<std::string>{"AUTH", options.password}
                                              : std::vector<std::string>{"AUTH", options.username, options.password});
  }
  if (options.db != 0) command(c.get(), {"SELECT", std::to_string(options.db)});
  return c;
}

// All of `text` as a decimal number.
bool parse_number(const std::string& text, int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

bool parse_redis_url(const std::string& url, AuditOptions& options) {
  const std::string scheme = "redis://";
  if (url.rfind(scheme, 0) != 0) return false;
  std::string rest = url.substr(scheme.size());
  if (const std::size_t at = rest.rfind('@'); at != std::string::npos) {
    const std::string credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const std::size_t colon = credentials.find(':');
    options.username = credentials.substr(0, colon);
    options.password = colon == std::string::npos ? "" : credentials.substr(colon + 1);
    if (colon == std::string::npos) std::swap(options.username, options.password);  // redis://password@host
  }
  if (const std::size_t slash = rest.find('/'); slash != std::string::npos) {
    if (!parse_number(rest.substr(slash + 1), options.db)) return false;
    rest = rest.substr(0, slash);
  }
  if (const std::size_t colon = rest.rfind(':'); colon != std::string::npos) {
    if (!parse_number(rest.substr(colon + 1), options.port)) return false;
    rest = rest.substr(0, colon);
  }
  if (!rest.empty()) options.host = rest;
  return options.port > 0 && options.port < 65536 && options.db >= 0;
}

AuditReport audit_server(const Schema& schema, const AuditOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const KeyClassifier classifier(schema, options.environment);
  AuditReport report;
  report.environment = options.environment;
  report.templates = classifier.templates();
  report.per_template.resize(report.templates.size());
  const Context c = connect(options);
  const std::string match = options.environment.empty() ? "*" : options.environment + ":*";
  std::string cursor = "0";
  bool truncated = false;  // the budget ended the run inside a page
  do {
    const Reply page = command(c.get(), {"SCAN", cursor, "MATCH", match, "COUNT", std::to_string(options.count)});
    if (page->type != REDIS_REPLY_ARRAY || page->elements != 2) throw std::runtime_error("SCAN answered something else");
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
      batch[i].type.assign(next_reply(c.get())->str);
      batch[i].pttl = next_reply(c.get())->integer;
      if (sampled[i]) {
        const Reply memory = next_reply(c.get());
        if (memory->type == REDIS_REPLY_INTEGER) batch[i].memory = memory->integer;
      }
      if (batch[i].type == "none") batch[i].pttl = -2;
      record_key(classifier, batch[i], report);
    }
    // The rate: no faster than max_keys_per_second over the run so far.
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double due = static_cast<double>(report.scanned) / options.max_keys_per_second;
    if (due > elapsed) std::this_thread::sleep_for(std::chrono::duration<double>(due - elapsed));
  } while (cursor != "0" && report.scanned < options.budget);
  report.complete = cursor == "0" && !truncated;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace keyspace::gen
