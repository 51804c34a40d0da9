// libFuzzer entry point for the JSON reader of declared types (runtime/src/json_reader.cpp),
// differential against nlohmann::json, which decoded stored values before it: the reader may be
// stricter (it bounds nesting, refuses numbers outside double), never looser. Every byte string
// is walked as one value of any type and must end in a value or a ReadError: a crash, a
// sanitizer report, a hang, or a document the reader takes and nlohmann::json refuses is a bug.
// What the reader accepts, it also reads back the same after writing it again. Built in a fuzz
// build (fuzz/CMakeLists.txt): `cmake --build build-fuzz --target json_reader_fuzzer`.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "keyspace/codec/json_reader.hpp"
#include "keyspace/codec/json_writer.hpp"
#include "keyspace/errors.hpp"

namespace {

using keyspace::codec::ReadError;
using keyspace::json::Reader;
using keyspace::json::Writer;

// Whether `read` succeeds on a copy of `in` (the reader offers no peek; `in` does not move).
template <class Read>
bool comes_next(const Reader& in, Read read) {
  Reader probe = in;
  try {
    read(probe);
    return true;
  } catch (const ReadError&) {
    return false;
  }
}

// Copies the value at `in` to `out` token by token, so that every reader function runs;
// integers go through int64() at even depths and through number() at odd ones.
void copy_value(Reader& in, Writer& out, int depth) {
  std::string_view name;
  if (comes_next(in, [](Reader& r) { r.begin_object(); })) {
    in.begin_object();
    out.begin_object();
    while (in.next_key(name)) {
      out.key(std::string(name));
      copy_value(in, out, depth + 1);
    }
    out.end_object();
  } else if (comes_next(in, [](Reader& r) { r.begin_array(); })) {
    in.begin_array();
    out.begin_array();
    while (in.next_element()) copy_value(in, out, depth + 1);
    out.end_array();
  } else if (in.consume_null()) {
    out.null();
  } else if (comes_next(in, [](Reader& r) { (void)r.string(); })) {
    out.string(in.string());
  } else if (comes_next(in, [](Reader& r) { (void)r.boolean(); })) {
    out.boolean(in.boolean());
  } else if (depth % 2 == 0 && comes_next(in, [](Reader& r) { (void)r.int64(); })) {
    out.int64(in.int64());
  } else {
    out.number(in.number());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  bool accepted = true;
  try {
    keyspace::json::Reader in(text);
    in.skip();
    in.finish();
  } catch (const keyspace::codec::ReadError&) {
    accepted = false;
  }
  if (accepted && !nlohmann::json::accept(text)) std::abort();  // looser than before
  if (!accepted) return 0;
  // Written again and read again: the same value.
  keyspace::json::Reader in(text);
  keyspace::json::Writer out;
  try {
    copy_value(in, out, 0);
    in.finish();
  } catch (const keyspace::EncodeError&) {
    return 0;  // depth: the reader's bound is the writer's too
  }
  const nlohmann::json before = nlohmann::json::parse(text);
  const nlohmann::json after = nlohmann::json::parse(out.text());
  if (before != after) std::abort();
  return 0;
}
