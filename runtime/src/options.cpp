// Options::from_url and Options::from_env: connection settings the way services are deployed.
#include "keyspace/options.hpp"

#include <charconv>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

#include "keyspace/errors.hpp"

namespace keyspace {
namespace {

// All of `text` as a decimal number in [low, high].
std::optional<int> number(std::string_view text, int low, int high) {
  int out = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || out < low || out > high) {
    return std::nullopt;
  }
  return out;
}

// `text` with %XX escapes decoded; nullopt when an escape is malformed.
std::optional<std::string> percent_decoded(std::string_view text) {
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

// The URL as errors show it: the password replaced by "***".
std::string shown(std::string_view url) {
  const std::size_t scheme = url.find("://");
  const std::size_t at = url.rfind('@');
  if (scheme == std::string_view::npos || at == std::string_view::npos || at < scheme) return std::string(url);
  const std::size_t colon = url.find(':', scheme + 3);
  const std::size_t secret = colon != std::string_view::npos && colon < at ? colon + 1 : scheme + 3;
  return std::string(url.substr(0, secret)) + "***" + std::string(url.substr(at));
}

[[noreturn]] void refuse(std::string_view url, std::string_view why) {
  throw ConfigError(fmt::format("Redis URL '{}': {}", shown(url), why));
}

// "[user:]password@" of a URL into `options`; returns what follows.
std::string_view take_credentials(std::string_view url, std::string_view rest, Options& options) {
  const std::size_t at = rest.rfind('@');
  if (at == std::string_view::npos) return rest;
  const std::string_view credentials = rest.substr(0, at);
  const std::size_t colon = credentials.find(':');
  const std::optional<std::string> user = percent_decoded(colon == std::string_view::npos ? "" : credentials.substr(0, colon));
  const std::optional<std::string> password =
      percent_decoded(colon == std::string_view::npos ? credentials : credentials.substr(colon + 1));
  if (!user || !password) refuse(url, "a malformed %-escape in the user or password");
  options.username = *user;
  options.password = *password;
  return rest.substr(at + 1);
}

void parse_tcp(std::string_view url, std::string_view rest, Options& options) {
  rest = take_credentials(url, rest, options);
  if (const std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty()) {
      const std::optional<int> n = number(db, 0, 1 << 30);
      if (!n) refuse(url, fmt::format("the database '{}' is not a number", db));
      options.db = *n;
    }
    rest = rest.substr(0, slash);
  }
  std::string_view host = rest;
  std::string_view port;
  bool has_port = false;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) refuse(url, "an IPv6 host without its closing ']'");
    host = rest.substr(1, close - 1);
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty() && after.front() != ':') refuse(url, "something other than ':port' after the IPv6 host");
    has_port = !after.empty();
    port = has_port ? after.substr(1) : after;
  } else if (const std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    if (rest.find(':') != colon) refuse(url, "an IPv6 host must be written in brackets: redis://[::1]:6379");
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    has_port = true;
  }
  if (has_port) {
    const std::optional<int> n = number(port, 1, 65535);
    if (!n) refuse(url, fmt::format("the port '{}' is not a number from 1 to 65535", port));
    options.port = *n;
  }
  if (!host.empty()) options.host = std::string(host);
  options.unix_socket.clear();
}

void parse_unix(std::string_view url, std::string_view rest, Options& options) {
  rest = take_credentials(url, rest, options);
  if (const std::size_t query = rest.find('?'); query != std::string_view::npos) {
    const std::string_view parameter = rest.substr(query + 1);
    const std::optional<int> n = parameter.substr(0, 3) == "db=" ? number(parameter.substr(3), 0, 1 << 30) : std::nullopt;
    if (!n) refuse(url, "the only query a unix:// URL takes is ?db=<number>");
    options.db = *n;
    rest = rest.substr(0, query);
  }
  if (rest.empty() || rest.front() != '/') refuse(url, "a unix:// URL needs an absolute socket path: unix:///run/redis.sock");
  options.unix_socket = std::string(rest);
}

}  // namespace

Options Options::from_url(std::string_view url, Options base) {
  const auto scheme = [&](std::string_view name) { return url.substr(0, name.size()) == name; };
  if (scheme("rediss://")) {
    refuse(url, "TLS (rediss://) is not supported: the runtime's hiredis has no TLS. Run a TLS tunnel "
                "(stunnel, or a sidecar such as ghostunnel or envoy) on loopback and connect to it with redis://");
  }
  if (scheme("redis://")) {
    const std::string_view rest = url.substr(8);
    if (rest.find_first_of("?#") != std::string_view::npos) refuse(url, "redis:// URLs take no query options");
    parse_tcp(url, rest, base);
  } else if (scheme("unix://")) {
    parse_unix(url, url.substr(7), base);
  } else {
    refuse(url, "the scheme must be redis:// or unix://");
  }
  return base;
}

Options Options::from_url(std::string_view url) { return from_url(url, Options()); }
Options Options::from_env() { return from_env(Options()); }

Options Options::from_env(Options base) {
  const auto variable = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
  if (const std::optional<std::string> url = variable("REDIS_URL")) {
    try {
      base = from_url(*url, std::move(base));
    } catch (const ConfigError& e) {
      throw ConfigError(fmt::format("REDIS_URL: {}", e.what()));
    }
  } else {
    if (const auto host = variable("REDIS_HOST")) base.host = *host;
    if (const auto port = variable("REDIS_PORT")) {
      const std::optional<int> n = number(*port, 1, 65535);
      if (!n) throw ConfigError(fmt::format("REDIS_PORT '{}' is not a number from 1 to 65535", *port));
      base.port = *n;
    }
    if (const auto user = variable("REDIS_USERNAME")) base.username = *user;
    if (const auto password = variable("REDIS_PASSWORD")) base.password = *password;
    if (const auto db = variable("REDIS_DB")) {
      const std::optional<int> n = number(*db, 0, 1 << 30);
      if (!n) throw ConfigError(fmt::format("REDIS_DB '{}' is not a database number", *db));
      base.db = *n;
    }
  }
  if (auto prefix = variable("REDIS_KEY_PREFIX")) {
    if (prefix->back() == ':') prefix->pop_back();  // "myapp:" as often written
    base.key_prefix = *prefix;
  }
  return base;
}

}  // namespace keyspace
