// Client programs for the scripting languages: curl (bash), Python, Node.js,
// PHP and Ruby. Each embeds the request body in the language's raw form when
// the body allows it (it always does for GenerateExampleRequest output) and
// falls back to an escaped literal otherwise.
#include "codegen/client_templates.h"
#include "codegen/template_util.h"

namespace stfs::codegen_internal {

std::string CurlClient(const ClientParts& p) {
  const std::string auth =
      p.username ? Fill("  --user @@CRED@@ \\\n",
                        {{"CRED", QuoteLiteral(*p.username + ":" + p.password, LiteralStyle::kShell)}})
                 : "";
  return Fill(R"(#!/usr/bin/env bash
@@HEADER@@set -euo pipefail

URL=@@URL@@
BODY=@@BODY@@

# --fail-with-body: print the error body and exit non-zero on HTTP errors.
curl --silent --show-error -X POST "$URL" \
  -H 'Content-Type: application/json' \
@@AUTH@@  --data-binary "$BODY" \
  --write-out '\n' \
  --fail-with-body
)",
              {{"HEADER", Header("#", p, "Run: bash client.sh   (needs curl 7.76 or newer)")},
               {"URL", QuoteLiteral(p.url, LiteralStyle::kShell)},
               {"BODY", QuoteLiteral(p.body, LiteralStyle::kShell)},
               {"AUTH", auth}});
}

std::string PythonClient(const ClientParts& p) {
  // A raw string keeps the JSON escapes (\u0027 ...) for the server's parser.
  const bool raw_ok = p.body.find('\'') == std::string::npos && !p.body.ends_with("\\");
  const std::string body = raw_ok ? "r'''" + p.body + "'''" : QuoteLiteral(p.body, LiteralStyle::kPython);
  const std::string auth =
      p.username ? "(" + QuoteLiteral(*p.username, LiteralStyle::kPython) + ", " +
                       QuoteLiteral(p.password, LiteralStyle::kPython) + ")"
                 : "None";
  return Fill(R"(#!/usr/bin/env python3
@@HEADER@@
import json
import sys

import requests

URL = @@URL@@
BODY = @@BODY@@
AUTH = @@AUTH@@  # (user, password) for basic auth, or None


def main():
    # As bytes: requests would encode str credentials as Latin-1.
    auth = tuple(s.encode("utf-8") for s in AUTH) if AUTH else None
    response = requests.post(
        URL,
        data=BODY.encode("utf-8"),
        headers={"Content-Type": "application/json"},
        auth=auth,
        timeout=60,
    )
    try:
        print(json.dumps(response.json(), indent=2))
    except ValueError:
        print(response.text)
    if not response.ok:
        print(f"HTTP {response.status_code}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
)",
              {{"HEADER", Header("#", p, "Run: python3 client.py   (needs: pip install requests)")},
               {"URL", QuoteLiteral(p.url, LiteralStyle::kPython)},
               {"BODY", body},
               {"AUTH", auth}});
}

std::string JavaScriptClient(const ClientParts& p) {
  const bool raw_ok = p.body.find('`') == std::string::npos &&
                      p.body.find("${") == std::string::npos && !p.body.ends_with("\\");
  // String.raw keeps the JSON escapes (\u0027 ...) for JSON.parse on the server.
  const std::string body =
      raw_ok ? "String.raw`" + p.body + "`" : QuoteLiteral(p.body, LiteralStyle::kJavaScript);
  const std::string auth =
      p.username
          ? Fill("  const credentials = @@USER@@ + ':' + @@PASS@@;\n"
                 "  headers.Authorization = 'Basic ' + Buffer.from(credentials).toString('base64');\n",
                 {{"USER", QuoteLiteral(*p.username, LiteralStyle::kJavaScript)},
                  {"PASS", QuoteLiteral(p.password, LiteralStyle::kJavaScript)}})
          : "";
  return Fill(R"(#!/usr/bin/env node
@@HEADER@@'use strict';

const ENDPOINT = @@URL@@;
const BODY = @@BODY@@;

async function main() {
  const headers = { 'Content-Type': 'application/json' };
@@AUTH@@  const response = await fetch(ENDPOINT, { method: 'POST', headers, body: BODY });
  // Printed as received: JSON.parse would round int64 values above 2^53.
  console.log(await response.text());
  if (!response.ok) {
    console.error(`HTTP ${response.status}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
)",
              {{"HEADER", Header("//", p, "Run: node client.js   (Node.js 18+, global fetch)")},
               {"URL", QuoteLiteral(p.url, LiteralStyle::kJavaScript)},
               {"BODY", body},
               {"AUTH", auth}});
}

std::string PhpClient(const ClientParts& p) {
  const bool nowdoc_ok = !BodyHasLine(p.body, "JSON");
  const std::string body = nowdoc_ok ? "<<<'JSON'\n" + p.body + "\nJSON"
                                     : QuoteLiteral(p.body, LiteralStyle::kSingleRaw);
  const std::string auth =
      p.username
          ? Fill("$headers .= 'Authorization: Basic ' . base64_encode(@@USER@@ . ':' . @@PASS@@) . \"\\r\\n\";\n",
                 {{"USER", QuoteLiteral(*p.username, LiteralStyle::kSingleRaw)},
                  {"PASS", QuoteLiteral(p.password, LiteralStyle::kSingleRaw)}})
          : "";
  return Fill(R"(<?php
@@HEADER@@
$endpoint = @@URL@@;
$body = @@BODY@@;

$headers = "Content-Type: application/json\r\nConnection: close\r\n";
@@AUTH@@$context = stream_context_create(['http' => [
    'method' => 'POST',
    'header' => $headers,
    'content' => $body,
    'protocol_version' => 1.1,
    'ignore_errors' => true,  // return the body of error responses too
    'timeout' => 60,
]]);
$response = file_get_contents($endpoint, false, $context);
if ($response === false) {
    fwrite(STDERR, "request to $endpoint failed\n");
    exit(1);
}
echo $response, PHP_EOL;
$status = 0;
if (isset($http_response_header[0]) && preg_match('#^HTTP/\S+ (\d{3})#', $http_response_header[0], $m)) {
    $status = (int)$m[1];
}
if ($status < 200 || $status >= 300) {
    fwrite(STDERR, "HTTP $status\n");
    exit(1);
}
)",
              {{"HEADER", Header("//", p, "Run: php client.php   (PHP 7.3+, allow_url_fopen on)")},
               {"URL", QuoteLiteral(p.url, LiteralStyle::kSingleRaw)},
               {"BODY", body},
               {"AUTH", auth}});
}

std::string RubyClient(const ClientParts& p) {
  const bool heredoc_ok = !BodyHasLine(p.body, "JSON");
  const std::string body = heredoc_ok ? "<<'JSON'.chomp\n" + p.body + "\nJSON"
                                      : QuoteLiteral(p.body, LiteralStyle::kSingleRaw);
  const std::string auth =
      p.username ? Fill("request.basic_auth(@@USER@@, @@PASS@@)\n",
                        {{"USER", QuoteLiteral(*p.username, LiteralStyle::kSingleRaw)},
                         {"PASS", QuoteLiteral(p.password, LiteralStyle::kSingleRaw)}})
                 : "";
  return Fill(R"(#!/usr/bin/env ruby
@@HEADER@@
require 'net/http'
require 'uri'

ENDPOINT = @@URL@@
BODY = @@BODY@@

uri = URI(ENDPOINT)
request = Net::HTTP::Post.new(uri)
request['Content-Type'] = 'application/json'
@@AUTH@@request.body = BODY
response = Net::HTTP.start(uri.hostname, uri.port, use_ssl: uri.scheme == 'https',
                           read_timeout: 60) do |http|
  http.request(request)
end
puts response.body
unless response.is_a?(Net::HTTPSuccess)
  warn "HTTP #{response.code}"
  exit 1
end
)",
              {{"HEADER", Header("#", p, "Run: ruby client.rb")},
               {"URL", QuoteLiteral(p.url, LiteralStyle::kSingleRaw)},
               {"BODY", body},
               {"AUTH", auth}});
}

}  // namespace stfs::codegen_internal
