#pragma once
// Every failure the runtime reports is an exception derived from keyspace::Error. Errors raised
// while serving a key carry the key template (e.g. "cache:user:{user_id}:profile"), never the
// rendered key, so messages and metric labels stay low-cardinality and free of user data.

#include <stdexcept>
#include <string>
#include <string_view>

namespace keyspace {

class Error : public std::runtime_error {
 public:
  Error(const std::string& message, std::string_view key_template = {});
  // The key template the failing operation addressed; empty for client-level errors.
  const std::string& key_template() const noexcept { return key_template_; }

 private:
  std::string key_template_;
};

// The server could not be reached, or the connection broke.
class ConnectionError : public Error { using Error::Error; };
// Connecting or a command took longer than its timeout.
class TimeoutError : public ConnectionError { using ConnectionError::ConnectionError; };
// AUTH was refused (wrong user or password).
class AuthError : public ConnectionError { using ConnectionError::ConnectionError; };
// No pooled connection became free within Options::pool_wait.
class PoolTimeout : public TimeoutError { using TimeoutError::TimeoutError; };
// A Redis Cluster could not serve the command: its key's slot kept being redirected (MOVED,
// ASK) more than Options::max_redirects times, or stayed unavailable (TRYAGAIN, CLUSTERDOWN)
// through as many retries, or no node serves the slot.
class ClusterError : public ConnectionError { using ConnectionError::ConnectionError; };
// Redis answered a command with an error reply (e.g. WRONGTYPE).
class CommandError : public Error { using Error::Error; };
// A parameter value cannot form a key (empty, too long, pattern not matched).
class InvalidKey : public Error { using Error::Error; };
// An argument the server would refuse (a coordinate out of range, a radius that is not
// positive); nothing was sent.
class InvalidArgument : public Error { using Error::Error; };
// A stored value does not decode as the key's value type.
class DecodeError : public Error { using Error::Error; };
// A value cannot be written in its key's encoding (a string that is not UTF-8, in JSON).
class EncodeError : public Error { using Error::Error; };
// The client configuration contradicts the schema (e.g. an environment it does not declare).
class ConfigError : public Error { using Error::Error; };
// An operation would break a policy of the schema (e.g. a TTL above the key's maximum).
class PolicyError : public Error { using Error::Error; };
// A queue already holds `max_length` messages; the push was refused.
class QueueFull : public PolicyError { using PolicyError::PolicyError; };
// LockAccessor::acquire gave up: the lock stayed held by someone else for the whole wait.
class LockTimeout : public Error { using Error::Error; };
// A session's update(fn) found the value changed by another writer on every attempt.
class UpdateConflict : public Error { using Error::Error; };
// A keyspace::Pending result was read before its Batch was executed.
class BatchError : public Error { using Error::Error; };

}  // namespace keyspace
