// Runs each generated client against testdata/echo_server.py on 127.0.0.1 and
// checks the server saw exactly the example request (path, body bytes,
// content type, basic auth). Languages whose toolchain is missing are skipped.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/base64.h"
#include "codegen/codegen.h"
#include "codegen/literals.h"

namespace stfs {
namespace {

namespace fs = std::filesystem;

bool HaveTool(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs `command` with sh; returns its exit status and stdout+stderr.
int RunShell(const std::string& command, std::string* output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) output->append(buf, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Shell(const std::string& s) {
  return codegen_internal::QuoteLiteral(s, codegen_internal::LiteralStyle::kShell);
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The echo server as a child process; killed on destruction.
class EchoServer {
 public:
  EchoServer(const fs::path& dir, const std::string& path, const std::string& body,
             const std::string& auth) {
    WriteFile(dir / "expected_body.json", body);
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], 1);
      close(fds[0]);
      close(fds[1]);
      const std::string script = std::string(STFS_CODEGEN_TESTDATA) + "/echo_server.py";
      const std::string body_file = (dir / "expected_body.json").string();
      execlp("python3", "python3", script.c_str(), "--expect-path", path.c_str(),
             "--expect-body-file", body_file.c_str(), "--expect-auth", auth.c_str(), "--timeout",
             "300", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    std::string line;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line.push_back(c);
    close(fds[0]);
    port_ = std::atoi(line.c_str());
  }
  ~EchoServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

struct Case {
  std::string language;
  std::string variant;  // "tfserving", "original", "hostile"
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.language << "/" << c.variant; }

class ClientExecTest : public ::testing::TestWithParam<Case> {
 protected:
  static fs::path Root() {
    static const fs::path root = [] {
      fs::path p = fs::temp_directory_path() / ("stfs_codegen_exec_" + std::to_string(getpid()));
      fs::create_directories(p);
      return p;
    }();
    return root;
  }
  static void TearDownTestSuite() { fs::remove_all(Root()); }
};

// The command that builds/runs the program in `dir`, or "" with *why set.
std::string RunCommand(const std::string& lang, const fs::path& dir, const std::string& code,
                       const fs::path& root, std::string* why) {
  const std::string d = Shell(dir.string());
  auto need = [&](const std::string& tool) {
    if (HaveTool(tool)) return true;
    *why = tool + " not installed";
    return false;
  };
  if (lang == "curl") {
    if (!need("bash") || !need("curl")) return "";
    WriteFile(dir / "client.sh", code);
    return "bash " + d + "/client.sh";
  }
  if (lang == "python") {
    if (!need("python3") || std::system("python3 -c 'import requests' >/dev/null 2>&1") != 0) {
      *why = "python3 with requests not installed";
      return "";
    }
    WriteFile(dir / "client.py", code);
    return "python3 " + d + "/client.py";
  }
  if (lang == "go") {
    if (!need("go")) return "";
    WriteFile(dir / "main.go", code);
    const std::string cache = Shell((root / "gocache").string());
    return "cd " + d + " && GOCACHE=" + cache + " GOPATH=" + cache + "/path go run main.go";
  }
  if (lang == "javascript") {
    if (!need("node")) return "";
    if (std::system("node -e 'process.exit(typeof fetch === \"function\" ? 0 : 1)'") != 0) {
      *why = "node has no global fetch (needs Node 18+)";
      return "";
    }
    WriteFile(dir / "client.js", code);
    return "node " + d + "/client.js";
  }
  if (lang == "java") {
    if (!need("java")) return "";
    WriteFile(dir / "Client.java", code);
    return "cd " + d + " && java Client.java";
  }
  if (lang == "cpp") {
    if (!need("g++") || std::system("printf '#include <curl/curl.h>\\n' | g++ -fsyntax-only -x c++ - "
                                    ">/dev/null 2>&1") != 0) {
      *why = "g++ or libcurl headers (libcurl4-openssl-dev) not installed";
      return "";
    }
    WriteFile(dir / "client.cc", code);
    return "cd " + d + " && g++ -std=c++17 -Wall -Werror client.cc -lcurl -o client && ./client";
  }
  if (lang == "rust") {
    // Crates cannot be fetched here: build against testdata/ureq_stub, a
    // std-only stand-in with the subset of ureq 2's API the client uses.
    if (!need("cargo")) return "";
    fs::create_directories(dir / "src");
    WriteFile(dir / "src/main.rs", code);
    WriteFile(dir / "Cargo.toml",
              "[package]\nname = \"client\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n"
              "[dependencies]\nureq = { path = \"" STFS_CODEGEN_TESTDATA "/ureq_stub\" }\n");
    const std::string target = Shell((root / "cargo_target").string());
    return "cd " + d + " && CARGO_TARGET_DIR=" + target + " cargo run --quiet --offline";
  }
  if (lang == "csharp") {
    if (!need("dotnet")) return "";
    const std::string proj = Shell((dir / "proj").string());
    if (RunShell("dotnet new console --force -o " + proj, why) != 0) return "";
    WriteFile(dir / "proj/Program.cs", code);
    return "cd " + proj + " && dotnet run";
  }
  if (lang == "php") {
    if (!need("php")) return "";
    WriteFile(dir / "client.php", code);
    return "php " + d + "/client.php";
  }
  if (lang == "ruby") {
    if (!need("ruby")) return "";
    WriteFile(dir / "client.rb", code);
    return "ruby " + d + "/client.rb";
  }
  *why = "no runner for " + lang;
  return "";
}

TEST_P(ClientExecTest, ServerReceivesExactExampleRequest) {
  const Case& c = GetParam();
  const fs::path dir = Root() / (c.language + "_" + c.variant);
  fs::create_directories(dir);

  ClientSpec spec;
  spec.model_name = "template_model";
  spec.signature.name = "serving_default";
  TensorInfo features;
  features.alias = "features";
  features.dtype = DType::kFloat;
  features.shape = PartialShape({-1, 9});
  TensorInfo keys;
  keys.alias = "keys";
  keys.dtype = DType::kInt32;
  keys.shape = PartialShape({-1, 1});
  spec.signature.inputs = {features, keys};
  std::string expected_path = "/v1/models/template_model/versions/2:predict";
  std::string expected_auth;
  spec.version = "2";
  if (c.variant == "original") {
    spec.flavor = ApiFlavor::kOriginal;
    expected_path = "/";
  } else if (c.variant == "hostile") {
    // Quotes, shell and template metacharacters, non-ASCII: all must arrive intact.
    spec.model_name = "m\"'`$(x)\n\xC3\xA9";
    spec.version.reset();
    spec.signature.name = "sig'\"${x}#";
    spec.signature.inputs[0].alias = "fe`at\"ures";
    spec.username = "ad'm\"in$x";
    spec.password = "p:a\\s`s\xC3\xA9";
    expected_path = "/v1/models/m%22%27%60%24%28x%29%0A%C3%A9:predict";
    expected_auth = "Basic " + EncodeStdBase64(*spec.username + ":" + *spec.password);
  }

  std::string why;
  auto code = GenerateClient(c.language, [&] {
    ClientSpec s = spec;
    s.base_url = "http://127.0.0.1:1";  // placeholder; replaced below once the port is known
    return s;
  }());
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  if (RunCommand(c.language, dir, *code, Root(), &why).empty()) GTEST_SKIP() << why;

  ExampleOptions options;
  options.model_name = spec.model_name;
  options.version = spec.version;
  auto body = GenerateExampleRequest(spec.signature, spec.flavor, options);
  ASSERT_TRUE(body.ok());
  EchoServer server(dir, expected_path, *body, expected_auth);
  ASSERT_GT(server.port(), 0) << "echo server did not start";
  spec.base_url = "http://127.0.0.1:" + std::to_string(server.port());
  code = GenerateClient(c.language, spec);
  ASSERT_TRUE(code.ok());
  const std::string command = RunCommand(c.language, dir, *code, Root(), &why);

  std::string output;
  const int rc = RunShell("timeout 240 sh -c " + Shell(command), &output);
  EXPECT_EQ(rc, 0) << output << "\n--- program ---\n" << *code;
  EXPECT_NE(output.find("ECHO_MATCH_OK"), std::string::npos) << output;
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const std::string& lang : SupportedLanguages()) {
    for (const char* variant : {"tfserving", "original", "hostile"}) cases.push_back({lang, variant});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllLanguages, ClientExecTest, ::testing::ValuesIn(AllCases()),
                         [](const auto& info) {
                           return info.param.language + "_" + info.param.variant;
                         });

}  // namespace
}  // namespace stfs
