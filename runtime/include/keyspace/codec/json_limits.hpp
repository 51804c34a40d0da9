#pragma once
// For generated code: the value codecs generated accessors store with (keyspace/codec/).
// Bounds shared by the JSON reader and writer of declared types.

namespace keyspace::json {

// How deep objects and arrays may nest. The reader refuses deeper documents, so that a hostile
// stored value cannot exhaust the stack of the recursive decoder; the writer refuses to write
// them, so that whatever is stored can be read back.
constexpr int kMaxDepth = 256;

}  // namespace keyspace::json
