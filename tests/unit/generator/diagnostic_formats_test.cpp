#include "diag/formats.hpp"

#include <gtest/gtest.h>

namespace keyspace::gen {
namespace {

// A key template or path holding ESC or CR reaches the terminal as text, never as a control
// sequence, and the caret still points at the column.
TEST(TextDiagnostics, ControlBytesOfMessagesPathsAndSourceLinesAreShownNotSent) {
  Diagnostic d;
  d.severity = Severity::error;
  d.code = "KS0304";
  d.loc = {"dir\r/app.yaml", 1, 10};
  d.message = "literal segment 'x\x1b]0;owned\x07' is bad";
  const SourceFiles sources{{"dir\r/app.yaml", "key: \"n:\x1b[2Jx\""}};
  const std::string out = render_text({d}, sources);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
  EXPECT_NE(out.find("dir\\x0d/app.yaml:1:10: error[KS0304]: literal segment 'x\\x1b]0;owned\\x07' is bad"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(" 1 | key: \"n:?[2Jx\"\n   |          ^"), std::string::npos) << out;
}

}  // namespace
}  // namespace keyspace::gen
