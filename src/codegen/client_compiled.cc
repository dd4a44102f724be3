// Client programs for the compiled languages: Go, Java, C++ (libcurl), Rust
// (ureq 2) and C#. The request body goes in a raw string where the language
// has one, else in escaped pieces.
#include <vector>

#include "base/base64.h"
#include "codegen/client_templates.h"
#include "codegen/template_util.h"

namespace stfs::codegen_internal {
namespace {

// Splits `s` after each '\n' and into pieces of at most `max_bytes`, never
// inside a UTF-8 sequence.
std::vector<std::string_view> SplitPieces(std::string_view s, size_t max_bytes) {
  std::vector<std::string_view> pieces;
  while (!s.empty()) {
    size_t n = std::min(s.find('\n') == std::string_view::npos ? s.size() : s.find('\n') + 1,
                        max_bytes);
    while (n < s.size() && n > 1 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    pieces.push_back(s.substr(0, n));
    s.remove_prefix(n);
  }
  return pieces;
}

}  // namespace

std::string GoClient(const ClientParts& p) {
  const bool raw_ok = p.body.find('`') == std::string::npos && p.body.find('\r') == std::string::npos;
  const std::string body = raw_ok ? "`" + p.body + "`" : QuoteLiteral(p.body, LiteralStyle::kGo);
  const std::string auth =
      p.username ? Fill("\treq.SetBasicAuth(@@USER@@, @@PASS@@)\n",
                        {{"USER", QuoteLiteral(*p.username, LiteralStyle::kGo)},
                         {"PASS", QuoteLiteral(p.password, LiteralStyle::kGo)}})
                 : "";
  return Fill(R"(@@HEADER@@package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

const endpoint = @@URL@@

const requestBody = @@BODY@@

func main() {
	req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewBufferString(requestBody))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req.Header.Set("Content-Type", "application/json")
@@AUTH@@	client := &http.Client{Timeout: 60 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// json.Indent keeps numbers as written (no float64 rounding).
	var pretty bytes.Buffer
	if json.Indent(&pretty, data, "", "  ") == nil {
		fmt.Println(pretty.String())
	} else {
		fmt.Println(string(data))
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		fmt.Fprintln(os.Stderr, "HTTP", resp.Status)
		os.Exit(1)
	}
}
)",
              {{"HEADER", Header("//", p, "Run: go run main.go   (Go 1.16+, standard library only)")},
               {"URL", QuoteLiteral(p.url, LiteralStyle::kGo)},
               {"BODY", body},
               {"AUTH", auth}});
}

std::string JavaClient(const ClientParts& p) {
  // One Java string constant holds at most 65535 bytes, and constant
  // concatenation is folded into one, so the pieces are joined at run time.
  std::string body = "String.join(\"\"";
  for (std::string_view piece : SplitPieces(p.body, 8000)) {
    body += ",\n      " + QuoteLiteral(piece, LiteralStyle::kJava);
  }
  body += ")";
  const std::string auth =
      p.username
          ? Fill("    String credentials = @@USER@@ + \":\" + @@PASS@@;\n"
                 "    request.header(\"Authorization\", \"Basic \"\n"
                 "        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));\n",
                 {{"USER", QuoteLiteral(*p.username, LiteralStyle::kJava)},
                  {"PASS", QuoteLiteral(p.password, LiteralStyle::kJava)}})
          : "";
  return Fill(R"(@@HEADER@@
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

public class Client {
  static final String ENDPOINT = @@URL@@;

  static final String BODY = @@BODY@@;

  public static void main(String[] args) throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ENDPOINT))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY, StandardCharsets.UTF_8));
@@AUTH@@    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    System.out.println(response.body());
    if (response.statusCode() < 200 || response.statusCode() >= 300) {
      System.err.println("HTTP " + response.statusCode());
      System.exit(1);
    }
  }
}
)",
              {{"HEADER", Header("//", p, "Run: java Client.java   (JDK 11+)")},
               {"URL", QuoteLiteral(p.url, LiteralStyle::kJava)},
               {"BODY", body},
               {"AUTH", auth}});
}

std::string CppClient(const ClientParts& p) {
  const bool raw_ok = p.body.find(")json\"") == std::string::npos;
  const std::string body = raw_ok ? "R\"json(" + p.body + ")json\"" : QuoteLiteral(p.body, LiteralStyle::kCpp);
  const std::string auth =
      p.username ? Fill("  curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);\n"
                        "  curl_easy_setopt(curl, CURLOPT_USERNAME, @@USER@@);\n"
                        "  curl_easy_setopt(curl, CURLOPT_PASSWORD, @@PASS@@);\n",
                        {{"USER", QuoteLiteral(*p.username, LiteralStyle::kCpp)},
                         {"PASS", QuoteLiteral(p.password, LiteralStyle::kCpp)}})
                 : "";
  return Fill(R"(@@HEADER@@
#include <curl/curl.h>

#include <cstdio>
#include <string>

namespace {

const char kEndpoint[] = @@URL@@;

const char kBody[] = @@BODY@@;

size_t AppendToString(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

int main() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    std::fprintf(stderr, "curl_easy_init failed\n");
    return 1;
  }
  std::string response;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(curl, CURLOPT_URL, kEndpoint);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, kBody);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(sizeof(kBody) - 1));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendToString);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
@@AUTH@@  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  curl_global_cleanup();
  if (rc != CURLE_OK) {
    std::fprintf(stderr, "request failed: %s\n", curl_easy_strerror(rc));
    return 1;
  }
  std::printf("%s\n", response.c_str());
  if (status < 200 || status >= 300) {
    std::fprintf(stderr, "HTTP %ld\n", status);
    return 1;
  }
  return 0;
}
)",
              {{"HEADER", Header("//", p,
                                 "Build: g++ -std=c++17 client.cc -lcurl -o client && ./client  "
                                 "(Debian: libcurl4-openssl-dev)")},
               {"URL", QuoteLiteral(p.url, LiteralStyle::kCpp)},
               {"BODY", body},
               {"AUTH", auth}});
}

std::string RustClient(const ClientParts& p) {
  const bool raw_ok = p.body.find("\"#") == std::string::npos;
  const std::string body = raw_ok ? "r#\"" + p.body + "\"#" : QuoteLiteral(p.body, LiteralStyle::kRust);
  // Precomputed so the program needs no base64 crate.
  const std::string auth =
      p.username ? Fill("    // Basic auth: base64 of \"user:password\".\n"
                        "    let request = request.set(\"Authorization\", @@VALUE@@);\n",
                        {{"VALUE", QuoteLiteral("Basic " + EncodeStdBase64(*p.username + ":" + p.password),
                                                LiteralStyle::kRust)}})
                 : "";
  return Fill(R"(@@HEADER@@//
// Cargo.toml:
//   [package]
//   name = "client"
//   version = "0.1.0"
//   edition = "2021"
//
//   [dependencies]
//   ureq = "2"
use std::process::ExitCode;

const ENDPOINT: &str = @@URL@@;

const BODY: &str = @@BODY@@;

fn main() -> ExitCode {
    let request = ureq::post(ENDPOINT).set("Content-Type", "application/json");
@@AUTH@@    match request.send_string(BODY) {
        Ok(response) => {
            print_body(response);
            ExitCode::SUCCESS
        }
        Err(ureq::Error::Status(code, response)) => {
            print_body(response);
            eprintln!("HTTP {code}");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("request failed: {err}");
            ExitCode::FAILURE
        }
    }
}

fn print_body(response: ureq::Response) {
    match response.into_string() {
        Ok(text) => println!("{text}"),
        Err(err) => eprintln!("cannot read the response: {err}"),
    }
}
)",
              {{"HEADER", Header("//", p, "Run: cargo run   (this file as src/main.rs; Rust 1.61+)")},
               {"URL", QuoteLiteral(p.url, LiteralStyle::kRust)},
               {"BODY", body},
               {"AUTH", auth}});
}

std::string CSharpClient(const ClientParts& p) {
  // A verbatim string has no escapes: only '"' is written twice.
  std::string body = "@\"";
  for (char c : p.body) {
    body.push_back(c);
    if (c == '"') body.push_back('"');
  }
  body += "\"";
  const std::string auth =
      p.username
          ? Fill("var credentials = Encoding.UTF8.GetBytes(@@USER@@ + \":\" + @@PASS@@);\n"
                 "request.Headers.Authorization =\n"
                 "    new AuthenticationHeaderValue(\"Basic\", Convert.ToBase64String(credentials));\n",
                 {{"USER", QuoteLiteral(*p.username, LiteralStyle::kCSharp)},
                  {"PASS", QuoteLiteral(p.password, LiteralStyle::kCSharp)}})
          : "";
  return Fill(R"(@@HEADER@@
using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;

const string Endpoint = @@URL@@;

const string Body = @@BODY@@;

using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
{
    Content = new StringContent(Body, Encoding.UTF8, "application/json"),
};
@@AUTH@@using var response = await client.SendAsync(request);
Console.WriteLine(await response.Content.ReadAsStringAsync());
if (!response.IsSuccessStatusCode)
{
    Console.Error.WriteLine($"HTTP {(int)response.StatusCode}");
    Environment.Exit(1);
}
)",
              {{"HEADER", Header("//", p,
                                 "Run: dotnet new console -o client, replace Program.cs, dotnet run "
                                 "(.NET 6+)")},
               {"URL", QuoteLiteral(p.url, LiteralStyle::kCSharp)},
               {"BODY", body},
               {"AUTH", auth}});
}

}  // namespace stfs::codegen_internal
