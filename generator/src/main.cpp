// keyspace: checks Redis keyspace schemas and generates typed C++ accessors for them.
// Exit codes: 0 success, 1 schema errors (or output could not be written), 2 usage errors.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  using namespace keyspace::gen::cli;
  CLI::App app{"keyspace: typed C++ accessors, docs and lint for Redis keyspaces", "keyspace"};
  app.set_version_flag("--version", "keyspace " KEYSPACE_VERSION);
  app.require_subcommand(1);

  Action selected;
  add_generate_command(app, selected);
  add_check_command(app, selected);
  add_docs_command(app, selected);
  add_export_command(app, selected);
  add_acl_command(app, selected);
  add_audit_command(app, selected);
  add_init_command(app, selected);
  add_diff_command(app, selected);
  add_fmt_command(app, selected);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kUsage;
  }
  try {
    return selected();
  } catch (const std::exception& e) {
    std::cerr << "keyspace: internal error: " << e.what() << '\n';
    return 3;
  }
}
