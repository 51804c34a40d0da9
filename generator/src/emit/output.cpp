#include "emit/output.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <fmt/format.h>
#include <unistd.h>

namespace keyspace::gen {
namespace fs = std::filesystem;
namespace {

// Whether the file at `path` holds exactly `text`. A file of another size is told apart without
// reading it; one of the same size is read straight into one buffer (generated headers are
// megabytes, and a stream copied through a stringstream cost more than the comparison).
bool same_content(const fs::path& path, const std::string& text) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec || size != text.size()) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string current(text.size() + 1, '\0');  // one byte more: a file that grew since is not equal
  in.read(current.data(), static_cast<std::streamsize>(current.size()));
  return static_cast<std::size_t>(in.gcount()) == text.size() && current.compare(0, text.size(), text) == 0;
}

}  // namespace

WriteResult write_outputs(const std::string& directory, const OutputSet& files) {
  WriteResult result;
  std::vector<std::pair<fs::path, fs::path>> staged;  // temporary -> final
  auto discard = [&] {
    std::error_code ignored;
    for (const auto& [tmp, final_path] : staged) fs::remove(tmp, ignored);
  };
  // Stage every changed file first, so that an error replaces nothing.
  for (const auto& [relative, text] : files) {
    const fs::path target = fs::path(directory) / relative;
    if (same_content(target, text)) {
      result.unchanged.push_back(target.string());
      continue;
    }
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    const fs::path tmp = target.string() + fmt::format(".tmp{}", static_cast<long>(::getpid()));
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (ec || !out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      discard();
      result.error = fmt::format("cannot write {}: {}", target.string(), ec ? ec.message() : "I/O error");
      return result;
    }
    staged.emplace_back(tmp, target);
  }
  for (const auto& [tmp, target] : staged) {
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
      discard();
      result.error = fmt::format("cannot replace {}: {}", target.string(), ec.message());
      return result;
    }
    result.written.push_back(target.string());
  }
  return result;
}

}  // namespace keyspace::gen
