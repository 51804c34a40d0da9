// `keyspace init [DIR] [--name NAME]`: write a starter schema, DIR/keyspace.yaml (a cached value,
// a counter and a lock, with comments pointing at the docs and the CMake lines to use it), and
// print those CMake lines. Refuses to overwrite an existing file.
#include <cctype>
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "emit/cpp/names.hpp"
#include "emit/output.hpp"
#include "emit/render.hpp"

namespace keyspace::gen::cli {
namespace {

struct InitArgs {
  std::string dir = ".";
  std::string name;
};

// A schema name from a directory's: lower case, other characters '_', starting with a letter.
std::string name_from(const std::filesystem::path& dir) {
  std::filesystem::path path = std::filesystem::absolute(dir).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();  // "/work/app/" names "app"
  std::string name;
  for (char c : path.filename().string()) {
    const auto u = static_cast<unsigned char>(c);
    name.push_back(std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_');
  }
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name.front()))) name = "app" + (name.empty() ? "" : "_" + name);
  if (!is_cpp_namespace(name)) name += "_app";  // a directory named after a C++ keyword ("new")
  return name;
}

// A schema name that is also its C++ namespace: lower_snake and not a C++ keyword.
bool is_schema_name(const std::string& name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return is_cpp_namespace(name);
}

int run_init(const InitArgs& args) {
  const std::string name = args.name.empty() ? name_from(args.dir) : args.name;
  if (!is_schema_name(name)) {
    std::cerr << fmt::format("keyspace init: '{}' is not a schema name (lower_snake: a-z, 0-9, _; not a C++ keyword)\n", name);
    return kUsage;
  }
  const std::filesystem::path target = std::filesystem::path(args.dir) / "keyspace.yaml";
  std::error_code error;
  if (std::filesystem::exists(target, error) || error) {
    std::cerr << fmt::format("keyspace init: {} exists already; nothing written\n", target.string());
    return kSchemaErrors;
  }
  const std::string text = render("templates/init/keyspace.yaml.mustache", mstch::data("name", name));
  const int status = report_written(write_outputs(args.dir, {{"keyspace.yaml", text}}));
  if (status != kOk) return status;
  std::cout << fmt::format("\nUse it from CMake:\n  find_package(Keyspace REQUIRED)\n"
                           "  keyspace_generate({0}_keys SCHEMA keyspace.yaml)\n"
                           "  target_link_libraries(<your target> PRIVATE {0}_keys)\n"
                           "and in C++: #include \"{0}/keyspace.hpp\"\n",
                           name);
  return kOk;
}

}  // namespace

void add_init_command(CLI::App& app, Action& selected) {
  auto args = std::make_shared<InitArgs>();
  CLI::App* cmd = app.add_subcommand("init", "Write a starter schema, DIR/keyspace.yaml, and print how to build it");
  cmd->add_option("dir", args->dir, "Directory to write keyspace.yaml into")->capture_default_str();
  cmd->add_option("--name", args->name, "Schema name (default: from the directory's name)");
  cmd->callback([&selected, args] { selected = [args] { return run_init(*args); }; });
}

}  // namespace keyspace::gen::cli
