// check_code_summaries CODES_HEADER DIAGNOSTICS_MD: every diagnostic code declared in
// diag/codes.hpp has a one-line summary (the SARIF rule description, code_summary()) and an
// entry `### KSnnnn — ...` in docs/diagnostics.md. Exit 1 naming the codes without.
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>

#include "diag/formats.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: check_code_summaries diag/codes.hpp diagnostics.md\n";
    return 2;
  }
  const auto read = [](const char* path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const std::string header = read(argv[1]);
  const std::string docs = read(argv[2]);
  // Declared codes are string literals; retired codes appear only in comments, unquoted.
  static const std::regex literal_re("\"(KS[0-9]{4})\"");
  int codes = 0, missing = 0;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), literal_re); it != std::sregex_iterator(); ++it) {
    ++codes;
    if (keyspace::gen::code_summary((*it)[1].str()).empty()) {
      std::cerr << (*it)[1] << " has no summary in generator/src/diag/formats_summaries.cpp\n";
      ++missing;
    }
    if (docs.find("### " + (*it)[1].str() + " ") == std::string::npos) {
      std::cerr << (*it)[1] << " has no entry in docs/diagnostics.md\n";
      ++missing;
    }
  }
  if (codes == 0) {
    std::cerr << "no codes found in " << argv[1] << '\n';
    return 1;
  }
  std::cout << codes << " codes, " << missing << " findings (a missing summary or docs entry)\n";
  return missing == 0 ? 0 : 1;
}
