#pragma once
// For generated code: the operations generated accessors call (keyspace/kinds/). Service code
// uses them through its accessors and needs no header of this folder.
// Reading many entries of one key template in a single round trip (MGET). Generated accessors of
// the value kind expose it as `get_many(ids)`; an id is what the key's parameters are, packed:
// the parameter itself for a key with one parameter, a std::tuple of them for several. String
// parameters are held as std::string so that a vector of ids owns its text.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "keyspace/client.hpp"
#include "keyspace/key_spec.hpp"
#include "keyspace/params.hpp"

namespace keyspace {

namespace batch {

// The id of a key without parameters: such a key names a single entry, so it has no get_many.
struct NoParams {};

namespace detail {
template <class P>
struct owned {
  using type = std::decay_t<P>;
};
template <>
struct owned<std::string_view> {
  using type = std::string;
};
template <>
struct owned<StringParam> {
  using type = std::string;
};
template <class Int>
struct owned<IntegerParam<Int>> {
  using type = Int;
};

template <class Signature>
struct id_of;
template <class R>
struct id_of<R()> {
  using type = NoParams;
};
template <class R, class P>
struct id_of<R(P)> {
  using type = typename owned<P>::type;
};
template <class R, class P1, class P2, class... Rest>
struct id_of<R(P1, P2, Rest...)> {
  using type = std::tuple<typename owned<P1>::type, typename owned<P2>::type, typename owned<Rest>::type...>;
};

template <class T>
struct is_tuple : std::false_type {};
template <class... T>
struct is_tuple<std::tuple<T...>> : std::true_type {};
}  // namespace detail

// The id type of a key whose accessor functions take the parameters of `Signature`, written as
// the function type `void(<the key's parameter declarations>)` so that generated code can name
// it from the parameter list alone.
template <class Signature>
using id_of = typename detail::id_of<Signature>::type;

// The checks of get_many's ids against the accessor's id type `Expected`, as readable errors;
// true when both pass. ops::get_many runs them, and so does the template that generated
// accessors declare beside get_many(const std::vector<id_type>&) to catch every other argument.
template <class Expected, class Id>
constexpr bool check_ids() {
  constexpr bool has_params = !std::is_same_v<Expected, NoParams>;
  constexpr bool takes_ids = std::is_same_v<Id, Expected>;
  static_assert(has_params, "get_many: this key has no parameters, so it names a single entry; use get()");
  static_assert(takes_ids,
                "get_many: pass a std::vector of the accessor's id_type (the key's parameter, or a std::tuple of "
                "its parameters when it has several)");
  return has_params && takes_ids;
}

}  // namespace batch

namespace ops {

// MGET of `keys` (rendered, environment prefix included); one entry per key in the same order,
// nullopt for a key that does not exist or holds no string. No round trip when `keys` is empty.
// Standalone servers only for now: a Redis Cluster refuses an MGET whose keys span slots.
std::vector<std::optional<std::string>> get_many_raw(Client& client, const KeySpec& spec,
                                                     const std::vector<std::string>& keys);

// The key of every id, rendered with `key_of` (a callable taking the key's parameters).
template <class Id, class KeyOf>
std::vector<std::string> keys_of(const std::vector<Id>& ids, const KeyOf& key_of) {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (const Id& id : ids) {
    if constexpr (batch::detail::is_tuple<Id>::value) {
      keys.push_back(std::apply(key_of, id));
    } else {
      keys.push_back(key_of(id));
    }
  }
  return keys;
}

// Each entry decoded with `Codec` (a value that does not decode throws DecodeError, as get()
// does); nullopt stays nullopt.
template <class Codec>
std::vector<std::optional<typename Codec::value_type>> decode_many(std::vector<std::optional<std::string>> raw,
                                                                   const KeySpec& spec) {
  std::vector<std::optional<typename Codec::value_type>> values;
  values.reserve(raw.size());
  for (std::optional<std::string>& bytes : raw) {
    if (bytes) {
      values.emplace_back(Codec::decode(*bytes, spec));
    } else {
      values.emplace_back(std::nullopt);
    }
  }
  return values;
}

// The typed get_many behind generated accessors: renders the key of every id, reads them all
// with one MGET and decodes each value with `Codec`. `Expected` is the accessor's id type;
// batch::check_ids turns misuse into readable errors.
template <class Codec, class Expected, class Id, class KeyOf>
std::vector<std::optional<typename Codec::value_type>> get_many(Client& client, const KeySpec& spec,
                                                                const std::vector<Id>& ids, const KeyOf& key_of) {
  // Misuse stops at the messages of check_ids instead of cascading into errors from the body.
  if constexpr (batch::check_ids<Expected, Id>()) {
    return decode_many<Codec>(get_many_raw(client, spec, keys_of(ids, key_of)), spec);
  } else {
    (void)client, (void)spec, (void)ids, (void)key_of;
    return {};
  }
}

}  // namespace ops
}  // namespace keyspace
