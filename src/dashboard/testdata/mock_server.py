#!/usr/bin/env python3
"""Development/test stand-in for the server's dashboard-facing API.

Serves src/dashboard/static/ the way stfs::FindAsset maps it ("/" -> index.html,
"/dashboard/NAME") plus canned JSON for every endpoint api.js calls, so the
dashboard can be viewed and browser-tested without a model server:
  python3 src/dashboard/testdata/mock_server.py --port 8600
Never used by the real server. The canned shapes follow tfserving-api.md and
the /v1/models listing agreed for the dashboard.
"""
import argparse
import json
import os
import re
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "static")
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
STARTED = time.time()
COUNTS = {"default": 0, "deep_image_model": 0}


def tensor(dtype, dims, name):
    return {"dtype": dtype, "tensor_shape": {"dim": [{"size": str(d), "name": ""} for d in dims],
                                             "unknown_rank": False}, "name": name}


MODELS = {
    "default": {"versions": ["1", "2"], "sigs": {"serving_default": {
        "inputs": {"features": tensor("DT_FLOAT", [-1, 9], "features:0"),
                   "keys": tensor("DT_INT32", [-1, 1], "keys:0")},
        "outputs": {"keys": tensor("DT_INT32", [-1, 1], "Identity:0"),
                    "prediction": tensor("DT_INT64", [-1], "ArgMax:0"),
                    "softmax": tensor("DT_FLOAT", [-1, 2], "Softmax:0")},
        "method_name": "tensorflow/serving/predict"}}},
    "deep_image_model": {"versions": ["1"], "sigs": {"serving_default": {
        "inputs": {"images": tensor("DT_STRING", [-1], "images:0")},
        "outputs": {"prediction": tensor("DT_INT64", [-1], "ArgMax:0"),
                    "softmax": tensor("DT_FLOAT", [-1, 17], "Softmax:0")},
        "method_name": "tensorflow/serving/predict"}}},
}


class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *unused):
        pass

    def do_GET(self):
        path, _, query = self.path.partition("?")
        params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        if path in ("/", "/index.html") or path.startswith("/dashboard/"):
            name = "index.html" if path in ("/", "/index.html") else path[len("/dashboard/"):]
            full = os.path.join(STATIC, os.path.basename(name))
            if not os.path.isfile(full):
                return self.reply(404, {"error": "not found"})
            with open(full, "rb") as f:
                return self.reply(200, f.read(), TYPES.get(os.path.splitext(full)[1], "application/octet-stream"))
        if path == "/health":
            return self.reply(200, "healthy", "text/plain")
        if path == "/monitoring/prometheus/metrics":
            lines = [f"process_start_time_seconds {STARTED:.0f}"]
            for m, n in COUNTS.items():
                lines.append(f':tensorflow:serving:request_count{{model_name="{m}",status="OK"}} {n}')
                lines.append(f':tensorflow:serving:request_latency_sum{{model_name="{m}",API="predict",entrypoint="REST"}} {n * 850}')
                lines.append(f':tensorflow:serving:request_latency_count{{model_name="{m}",API="predict",entrypoint="REST"}} {n}')
            return self.reply(200, "\n".join(lines) + "\n", "text/plain")
        if path == "/v1/models":
            return self.reply(200, {"models": [
                {"name": n, "platform": "tensorflow",
                 "versions": [{"version": v, "state": "AVAILABLE", "error": ""} for v in m["versions"]]}
                for n, m in MODELS.items()]})
        m = re.fullmatch(r"/v1/models/([^/]+)(?:/versions/(\d+))?(/metadata|/gen_json|/gen_client)?", path)
        if not m or m.group(1) not in MODELS:
            return self.reply(404, {"error": f"Servable not found for request: {path}"})
        model = MODELS[m.group(1)]
        if m.group(3) is None:
            return self.reply(200, {"model_version_status": [
                {"version": v, "state": "AVAILABLE", "status": {"error_code": "OK", "error_message": ""}}
                for v in model["versions"]]})
        if m.group(3) == "/metadata":
            return self.reply(200, {"model_spec": {"name": m.group(1), "signature_name": "", "version": model["versions"][-1]},
                                    "metadata": {"signature_def": {"signature_def": model["sigs"]}}})
        sig = model["sigs"]["serving_default"]
        data = {a: ([[1.0] * int(t["tensor_shape"]["dim"][1]["size"])] if t["dtype"] == "DT_FLOAT" else
                    [[1]] if t["dtype"] == "DT_INT32" else [""]) for a, t in sig["inputs"].items()}
        if m.group(3) == "/gen_json":
            key = "data" if params.get("flavor") == "original" else "inputs"
            head = {"model_name": m.group(1)} if key == "data" else {}
            return self.reply(200, json.dumps({**head, "signature_name": "serving_default", key: data}, indent=2))
        return self.reply(200, f"# {params.get('language', 'curl')} client for {m.group(1)}\ncurl -X POST ...\n", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        path = self.path
        if path.endswith(":predict"):
            name = path[len("/v1/models/"):].split("/")[0].split(":")[0]
            try:
                req = json.loads(body)
            except ValueError:
                return self.reply(400, {"error": "JSON Parse error: Invalid value. at offset: 0"})
            if name not in MODELS:
                return self.reply(404, {"error": f"Servable not found for request: Latest({name})"})
            COUNTS[name] += 1
            n = len(next(iter(req.get("inputs", {"x": [0]}).values()), [0]))
            return self.reply(200, '{"outputs": {"keys": [[1]], "prediction": [9007199254740993], '
                                   '"softmax": [[0.6155449748, 0.3844550252]]}}' if n else '{"outputs": {}}')
        if path == "/":
            COUNTS["deep_image_model"] += 1
            if b"multipart/form-data" in self.headers.get("Content-Type", "").encode():
                probs = [0.01] * 17
                probs[6] = 0.84
                return self.reply(200, {"prediction": [6], "softmax": [probs]})
            return self.reply(200, {"keys": [[1]], "softmax": [[0.6, 0.4]], "prediction": [0]})
        return self.reply(404, {"error": "not found"})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8600)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"mock dashboard server on http://127.0.0.1:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
