#pragma once
// Typed key parameters. Generated accessors take an `Int64Param` / `UInt64Param` / `StringParam`
// instead of a plain std::int64_t / std::string_view, so that an argument of the wrong kind is a
// compile error that names the rule, instead of a silent conversion (a double truncated into an
// id, a bool turned into 1, a char* pointer into a number). They convert back implicitly, cost
// nothing at run time, and are meant to live only for the call they are passed to.

#include <cstdint>
#include <string_view>
#include <type_traits>

namespace keyspace {

// False for every instantiation, so that a static_assert depending on it fires only when the
// template is used.
template <class...>
inline constexpr bool always_false = false;

class Batch;
// The parameter types take any argument (so that a wrong one meets their static_assert) except
// a keyspace::Batch: `incr(batch, id)` must pick the batch overload, not try to make a parameter
// of the batch.
template <class T>
using not_a_batch = std::enable_if_t<!std::is_same<std::decay_t<T>, Batch>::value, int>;

template <class Int>
class IntegerParam {
 public:
  template <class T, not_a_batch<T> = 0>
  constexpr IntegerParam(T value) noexcept : value_(checked(value)) {}  // implicit on purpose
  constexpr operator Int() const noexcept { return value_; }

 private:
  template <class T>
  static constexpr Int checked(T value) noexcept {
    static_assert(std::is_integral<T>::value && !std::is_same<T, bool>::value,
                  "keyspace: this key parameter is an integer (int64/uint64 in the schema); pass an integer type, "
                  "not bool, a floating-point number, a pointer or text");
    if constexpr (std::is_integral<T>::value) {
      return static_cast<Int>(value);
    } else {
      return Int{};
    }
  }

  Int value_;
};

using Int64Param = IntegerParam<std::int64_t>;
using UInt64Param = IntegerParam<std::uint64_t>;

class StringParam {
 public:
  template <class T, not_a_batch<T> = 0>
  constexpr StringParam(const T& value) noexcept : value_(checked(value)) {}  // implicit on purpose
  constexpr operator std::string_view() const noexcept { return value_; }

 private:
  template <class T>
  static constexpr std::string_view checked(const T& value) noexcept {
    static_assert(std::is_convertible<const T&, std::string_view>::value,
                  "keyspace: this key parameter is a string in the schema; pass std::string, std::string_view or a "
                  "string literal, not a number");
    if constexpr (std::is_convertible<const T&, std::string_view>::value) {
      return value;
    } else {
      return {};
    }
  }

  std::string_view value_;
};

}  // namespace keyspace
