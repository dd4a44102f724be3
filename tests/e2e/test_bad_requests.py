"""A catalogue of malformed requests against the example models: each gets
its expected status and an error naming the problem, never a 500, and the
server stays healthy afterwards."""
import gzip

import pytest
import requests

from test_example_models import example_config  # noqa: F401  (fixture)

T = 60
JSON = {"Content-Type": "application/json"}
PREDICT = "/v1/models/half_plus_two:predict"

# (method, path, body (str/bytes) or None, extra headers, status, error substring)
CATALOGUE = [
    # Body syntax and structure.
    ("POST", PREDICT, "", {}, 400, "JSON Parse error: The document is empty"),
    ("POST", PREDICT, '{"instances": [[1.0]', {}, 400, "JSON Parse error"),
    ("POST", PREDICT, "[1, 2]", {}, 400, "object"),
    ("POST", PREDICT, '{"foo": [1.0]}', {}, 400, "Missing 'inputs' or 'instances' key"),
    ("POST", PREDICT, '{"instances": [], "inputs": []}', {}, 400, "instances"),
    ("POST", PREDICT, '{"signature_name": 7, "instances": [[1.0]]}', {}, 400,
     "'signature_name' key must be a string value."),
    # Values against the signature.
    ("POST", PREDICT, '{"instances": [["a"]]}', {}, 400, "not of expected type: float"),
    ("POST", PREDICT, '{"instances": [[true]]}', {}, 400, "not of expected type: float"),
    ("POST", "/v1/models/iris_mlp:predict", '{"inputs": {"features": [[1, 2, 3, 4], [1, 2]]}}', {},
     400, "ragged list"),
    ("POST", "/v1/models/iris_mlp:predict", '{"inputs": {"petals": [[1, 2, 3, 4]]}}', {}, 400,
     "alias not found in signature: petals"),
    ("POST", "/v1/models/iris_mlp:predict", '{"instances": [{"features": [1, 2, 3, 4], "x": 1}]}',
     {}, 400, "alias not found in signature: x"),
    ("POST", "/", '{"model_name": "iris_mlp", "data": {"other": [[1, 2, 3, 4]]}}', {}, 400,
     "missing input 'features'"),
    ("POST", "/v1/models/color_cnn:predict", '{"inputs": {"image_bytes": {"b64": "@@@"}}}', {}, 400,
     "base64"),
    ("POST", "/v1/models/color_cnn:predict", '{"inputs": {"image_bytes": {"b64": "aGVsbG8="}}}', {},
     400, "DecodeJpeg"),
    # Unknown model / version / label / signature.
    ("POST", "/v1/models/nope:predict", '{"instances": [1.0]}', {}, 404,
     "Servable not found for request: Latest(nope)"),
    ("POST", "/v1/models/half_plus_two/versions/7:predict", '{"instances": [[1.0]]}', {}, 404,
     "Specific(half_plus_two, 7)"),
    ("POST", "/v1/models/half_plus_two/labels/stable:predict", '{"instances": [[1.0]]}', {}, 400,
     "Unrecognized servable version label"),
    ("POST", PREDICT, '{"signature_name": "nope", "instances": [[1.0]]}', {}, 404,
     'Serving signature key "nope" not found'),
    ("GET", "/v1/models/nope", None, {}, 404, "Could not find any versions of model nope"),
    ("GET", "/v1/models/half_plus_two/versions/9", None, {}, 404,
     "Could not find version 9 of model half_plus_two"),
    ("POST", "/", '{"model_name": "nope", "data": {}}', {}, 404, "Invalid model name: nope"),
    # Classify / regress.
    ("POST", "/v1/models/half_plus_two:regress", '{"examples": []}', {}, 400, ""),
    ("POST", "/v1/models/half_plus_two:regress", '{"examples": [1]}', {}, 400,
     "Example must be JSON object"),
    ("POST", "/v1/models/half_plus_two:regress",
     '{"signature_name": "regress_x_to_y", "examples": [{"x": [[1.0]]}]}', {}, 400, "nested lists"),
    ("POST", "/v1/models/half_plus_two:regress", '{"examples": [{"x": 1.0}]}', {}, 400,
     "exactly one input named 'inputs'"),
    ("POST", "/v1/models/half_plus_two:classify",
     '{"signature_name": "regress_x_to_y", "examples": [{"x": 1.0}]}', {}, 400,
     "neither a 'classes' nor a 'scores'"),
    # Original API specifics.
    ("POST", "/", "{not json", {}, 400, "Invalid json data"),
    ("POST", "/", '{"model_name": "half_plus_two"}', {}, 400, "'data'"),
    ("POST", "/", '{"model_name": "half_plus_two", "preprocess": true, "data": {"x": [[1.0]]}}', {},
     400, "preprocess"),
    ("POST", "/", "x=1", {"Content-Type": "text/csv"}, 400, "unsupported content type"),
    # Transport.
    ("POST", PREDICT, b"not gzip", {"Content-Encoding": "gzip"}, 400, "gzip"),
    ("POST", PREDICT, "x" * 5000, {}, 413, "exceeds the limit"),
    # Bad URL paths and wrong methods.
    ("GET", "/v1/foo", None, {}, 400, "Malformed request: GET /v1/foo"),
    ("POST", "/v1/models/half_plus_two/versions/abc:predict", "{}", {}, 400, "Malformed request"),
    ("POST", "/v1/models/half_plus_two/versions/99999999999999999999:predict", "{}", {}, 400,
     "Failed to convert version"),
    ("POST", "/v1/models/half_plus_two:explain", "{}", {}, 400, "Malformed request"),
    ("POST", "/v1/models/half_plus_two/metadata", "{}", {}, 400, "Malformed request"),
    ("GET", "/v1/models/half_plus_two/metadata/extra", None, {}, 400, "Malformed request"),
    ("GET", PREDICT, None, {}, 400, "Malformed request: GET"),
    ("PUT", PREDICT, "{}", {}, 400, "Malformed request: PUT"),
    ("DELETE", "/v1/models/half_plus_two", None, {}, 400, "Malformed request: DELETE"),
    ("PUT", "/", "{}", {}, 404, "Not found: PUT /"),
    ("POST", "/health", "", {}, 404, "Not found"),
    ("GET", "/no/such/page", None, {}, 404, "Not found"),
]


@pytest.fixture(scope="module")
def server(server_binary, example_config):
    from conftest import ServerProcess
    s = ServerProcess(server_binary, ["--model_config_file=" + example_config,
                                      "--max_body_bytes=4096"])
    yield s
    s.stop()


@pytest.mark.parametrize("method,path,body,headers,status,needle", CATALOGUE,
                         ids=[f"{c[0]} {c[1]} {str(c[2])[:30]}" for c in CATALOGUE])
def test_bad_request(server, method, path, body, headers, status, needle):
    h = dict(JSON)
    h.update(headers)
    r = requests.request(method, server.url + path, data=body, headers=h, timeout=T)
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"] == "application/json"
    error = r.json()["error"]
    assert error and needle in error, error
    assert requests.get(server.url + "/health", timeout=T).text == "healthy"


def test_uploads(server):
    # No file at all, a non-image file, an unknown model.
    r = requests.post(server.url + "/", files={"foo": (None, "bar")},
                      data={"model_name": "color_cnn_tensor"}, timeout=T)
    assert r.status_code == 400 and "no image uploaded" in r.json()["error"]
    r = requests.post(server.url + "/", files={"image": ("a.jpg", b"\xff\xd8garbage", "image/jpeg")},
                      data={"model_name": "color_cnn_tensor"}, timeout=T)
    assert r.status_code == 400 and r.json()["error"]
    r = requests.post(server.url + "/", files={"image": ("a.jpg", b"x", "image/jpeg")},
                      data={"model_name": "nope"}, timeout=T)
    assert r.status_code == 404 and "Invalid model name: nope" in r.json()["error"]


def test_gzip_body_and_gzip_bomb(server):
    body = gzip.compress(b'{"instances": [[2.0]]}')
    r = requests.post(server.url + PREDICT, data=body,
                      headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
                      timeout=T)
    assert (r.status_code, r.json()) == (200, {"predictions": [[3.0]]})
    bomb = gzip.compress(b" " * (200 << 20))  # 200 MB of spaces, ~200 KB compressed
    assert len(bomb) < (1 << 20)
    s = requests.post(server.url + PREDICT, data=bomb[:4000],
                      headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
                      timeout=T)
    assert s.status_code in (400, 413, 429), s.text  # truncated or over the limit: never 500
    assert requests.get(server.url + "/health", timeout=T).text == "healthy"


def test_many_bad_requests_leave_the_server_working(server):
    for i in range(50):
        requests.post(server.url + PREDICT, data="{" * (i + 1), headers=JSON, timeout=T)
    r = requests.post(server.url + PREDICT, json={"instances": [[4.0]]}, timeout=T)
    assert (r.status_code, r.json()) == (200, {"predictions": [[4.0]]})
