#pragma once
// A position in a schema file. Lines and columns are 1-based; 0 means "unknown".

#include <string>

namespace keyspace::gen {

struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;
};

}  // namespace keyspace::gen
