// The I/O half of `keyspace audit`: SCAN, then TYPE, PTTL and sampled MEMORY USAGE pipelined per
// batch, over one hiredis connection with a connect and a reply timeout.
#include <charconv>
#include <chrono>
#include <memory>
#include <thread>

#include <sys/time.h>

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

Context connect(const AuditOptions& options) {
  Context c(redisConnectWithTimeout(options.host.c_str(), options.port, to_timeval(options.timeout)));
  if (!c || c->err) {
    throw AuditUnavailable(fmt::format("cannot connect to {}:{}: {}", options.host, options.port,
                                       c ? c->errstr : "out of memory"));
  }
  if (redisSetTimeout(c.get(), to_timeval(options.timeout)) != REDIS_OK) {
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

// All of `text` as a decimal number.
bool parse_number(std::string_view text, int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

// `text` with %XX escapes decoded; nullopt when an escape is malformed.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size()) return std::nullopt;
    const auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (error != std::errc() || end != text.data() + i + 3) return std::nullopt;
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

}  // namespace

bool parse_redis_url(const std::string& url, AuditOptions& options) {
  const std::string_view scheme = "redis://";
  if (url.rfind(scheme, 0) != 0) return false;
  std::string_view rest = std::string_view(url).substr(scheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) return false;  // no query options
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const std::size_t colon = credentials.find(':');
    // redis://user:password@, redis://:password@, redis://user:@; redis://password@ as redis-cli
    const std::optional<std::string> user = percent_decode(colon == std::string_view::npos ? "" : credentials.substr(0, colon));
    const std::optional<std::string> password =
        percent_decode(colon == std::string_view::npos ? credentials : credentials.substr(colon + 1));
    if (!user || !password) return false;
    options.username = *user;
    options.password = *password;
  }
  if (const std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && !parse_number(db, options.db)) return false;
    rest = rest.substr(0, slash);
  }
  std::string_view host = rest;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return false;
    host = rest.substr(1, close - 1);
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() != ':') return false;
    if (!after.empty()) port = after.substr(1);
    if (host.empty()) return false;
    if (!after.empty() && port.empty()) return false;
  } else if (const std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    if (rest.find(':') != colon) return false;  // an IPv6 address needs brackets
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) return false;
  }
  if (!port.empty() && !parse_number(port, options.port)) return false;
  if (!host.empty()) options.host = std::string(host);
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
