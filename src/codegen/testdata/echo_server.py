#!/usr/bin/env python3
"""Test echo server for the generated clients (client_exec_test.cc).

Listens on 127.0.0.1 (port chosen by the OS, printed as the first stdout line),
answers ONE POST and exits. It checks the request against the expectations
given on the command line and answers:
  200 {"result": "ECHO_MATCH_OK", "echo": <request body as JSON>}   or
  400 {"result": "ECHO_MISMATCH", "problems": [...], "echo": ...}
Exits after --timeout seconds if no request arrives.
"""
import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--expect-path", required=True)
    parser.add_argument("--expect-body-file", required=True)
    parser.add_argument("--expect-auth", default="", help="full Authorization header value")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    with open(args.expect_body_file, "rb") as f:
        expected_body = f.read()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            problems = []
            if self.path != args.expect_path:
                problems.append(f"path {self.path!r} != {args.expect_path!r}")
            ctype = self.headers.get("Content-Type") or ""
            if not ctype.startswith("application/json"):
                problems.append(f"content type {ctype!r}")
            if body != expected_body:
                problems.append(f"body {body[:200]!r} != {expected_body[:200]!r}")
            auth = self.headers.get("Authorization") or ""
            if auth != args.expect_auth:
                problems.append(f"authorization {auth!r} != {args.expect_auth!r}")
            try:
                echo = json.loads(body)
            except ValueError as e:
                echo = None
                problems.append(f"body is not JSON: {e}")
            reply = {"result": "ECHO_MISMATCH" if problems else "ECHO_MATCH_OK",
                     "problems": problems, "echo": echo}
            data = json.dumps(reply).encode()
            self.send_response(400 if problems else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
            self.close_connection = True

        def log_message(self, *unused):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = args.timeout
    print(server.server_address[1], flush=True)
    server.handle_request()
    server.server_close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
