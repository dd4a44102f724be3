// `inspect` sub-command of the server binary.
#include <cstring>
#include <iostream>
#include <string>

#include "savedmodel/inspect.h"

namespace stfs {
namespace {

constexpr char kUsage[] =
    "usage: inspect DIR [--tag_set TAGS] [--json]\n"
    "  DIR        a SavedModel export dir, or a base path with numeric version subdirectories\n"
    "  --tag_set  comma-separated MetaGraph tags (default: serve)\n"
    "  --json     print JSON instead of text\n";

}  // namespace

int RunInspectCommand(int argc, char** argv) {
  int i = 1;  // argv[0] is the program
  if (i < argc && std::strcmp(argv[i], "inspect") == 0) ++i;
  std::string dir, tag_set = "serve";
  bool json = false;
  for (; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--tag_set" || arg == "--tag-set") {
      if (i + 1 >= argc) {
        std::cerr << "inspect: --tag_set needs a value\n" << kUsage;
        return 2;
      }
      tag_set = argv[++i];
    } else if (arg.rfind("--tag_set=", 0) == 0) {
      tag_set = arg.substr(std::strlen("--tag_set="));
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      std::cerr << "inspect: unknown flag " << arg << "\n" << kUsage;
      return 2;
    } else if (dir.empty()) {
      dir = arg;
    } else {
      std::cerr << "inspect: unexpected argument " << arg << "\n" << kUsage;
      return 2;
    }
  }
  if (dir.empty()) {
    std::cerr << "inspect: missing DIR\n" << kUsage;
    return 2;
  }
  auto out = InspectSavedModel(dir, tag_set, json);
  if (!out.ok()) {
    std::cerr << "inspect: " << out.status().ToString() << "\n";
    return 1;
  }
  std::cout << *out;
  return 0;
}

}  // namespace stfs
