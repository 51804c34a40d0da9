#pragma once
// Generated files are kept in memory as {relative path: text} and written at the end, each
// through a temporary file and a rename, and only where the content changed. A failed run
// leaves no half-written output.

#include <map>
#include <string>
#include <vector>

namespace keyspace::gen {

using OutputSet = std::map<std::string, std::string>;

struct WriteResult {
  std::vector<std::string> written;    // paths whose content changed
  std::vector<std::string> unchanged;  // paths already up to date
  std::string error;                   // non-empty when writing failed (nothing was replaced)
};

WriteResult write_outputs(const std::string& directory, const OutputSet& files);

}  // namespace keyspace::gen
