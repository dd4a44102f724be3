"""Auth, CORS, TLS and metrics of the real binary serving the example models."""
import subprocess

import pytest
import requests
import urllib3

from test_example_models import example_config  # noqa: F401  (fixture)

T = 60


def test_auth_protects_api_and_dashboard_but_not_health(start_server, example_config):
    s = start_server(["--model_config_file=" + example_config, "--enable_auth",
                      "--auth_username=bob", "--auth_password=pa55-word"])
    assert requests.get(s.url + "/health", timeout=T).text == "healthy"
    for method, path in [("GET", "/"), ("POST", "/"), ("GET", "/v1/models"),
                         ("GET", "/v1/models/half_plus_two"),
                         ("POST", "/v1/models/half_plus_two:predict"),
                         ("GET", "/monitoring/prometheus/metrics")]:
        r = requests.request(method, s.url + path, json={"instances": [[1.0]]}, timeout=T)
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.headers["WWW-Authenticate"].startswith("Basic realm="), (method, path)
        r = requests.request(method, s.url + path, json={"instances": [[1.0]]},
                             auth=("bob", "nope"), timeout=T)
        assert r.status_code == 401, (method, path)
    r = requests.post(s.url + "/v1/models/half_plus_two:predict", json={"instances": [[2.0]]},
                      auth=("bob", "pa55-word"), timeout=T)
    assert (r.status_code, r.json()) == (200, {"predictions": [[3.0]]})
    assert requests.get(s.url + "/", auth=("bob", "pa55-word"), timeout=T).status_code == 200
    # curl -u, as the original's README shows.
    out = subprocess.run(["curl", "-s", "-u", "bob:pa55-word", "-H", "Content-Type: application/json",
                          "-d", '{"model_name": "half_plus_two", "data": {"x": [[4.0]]}}',
                          s.url + "/"], capture_output=True, text=True, timeout=T)
    assert out.stdout.replace(" ", "") == '{"y":[[4.0]]}'
    assert "pa55-word" not in s.log()


def test_cors_preflight(start_server, example_config):
    s = start_server(["--model_config_file=" + example_config])
    r = requests.options(s.url + "/v1/models/half_plus_two:predict", timeout=T,
                         headers={"Origin": "http://example.test",
                                  "Access-Control-Request-Method": "POST",
                                  "Access-Control-Request-Headers": "Content-Type"})
    assert r.status_code in (200, 204)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()
    r = requests.post(s.url + "/v1/models/half_plus_two:predict", json={"instances": [[0.0]]},
                      headers={"Origin": "http://example.test"}, timeout=T)
    assert r.headers["Access-Control-Allow-Origin"] == "*" and r.json() == {"predictions": [[2.0]]}


def test_tls_with_self_signed_certificate(start_server, example_config, tmp_path):
    cert, key = tmp_path / "secret.pem", tmp_path / "secret.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True,
                   timeout=120)
    s = start_server(["--model_config_file=" + example_config, "--enable_ssl",
                      "--secret_pem=" + str(cert), "--secret_key=" + str(key)])
    assert s.url.startswith("https://")
    r = requests.post(s.url + "/v1/models/half_plus_two:predict", json={"instances": [[6.0]]},
                      verify=str(cert), timeout=T)
    assert (r.status_code, r.json()) == (200, {"predictions": [[5.0]]})
    out = subprocess.run(["curl", "-s", "--cacert", str(cert), s.url + "/health"],
                         capture_output=True, text=True, timeout=T)
    assert out.stdout == "healthy"
    # Plain HTTP on the TLS port gets no answer, and the server keeps serving.
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(s.url.replace("https://", "http://") + "/health", timeout=5).json()
    urllib3.disable_warnings()
    assert requests.get(s.url + "/health", verify=False, timeout=T).text == "healthy"


def test_bad_tls_files_fail_startup(server_binary, example_config, tmp_path):
    from conftest import run_binary
    r = run_binary(server_binary, ["--host=127.0.0.1", "--port=0", "--enable_ssl",
                                   "--model_config_file=" + example_config,
                                   "--secret_pem=" + str(tmp_path / "none.pem"),
                                   "--secret_key=" + str(tmp_path / "none.key")])
    assert r.returncode == 1 and "none.pem" in r.stderr


def test_metrics_count_requests_per_model(start_server, example_config):
    s = start_server(["--model_config_file=" + example_config])
    for _ in range(3):
        requests.post(s.url + "/v1/models/half_plus_two:predict", json={"instances": [[1.0]]}, timeout=T)
    requests.post(s.url + "/v1/models/iris_mlp:predict", json={"instances": [["x"]]}, timeout=T)
    requests.post(s.url + "/", json={"model_name": "iris_mlp", "data": {"features": [[1, 1, 1, 1]]}},
                  timeout=T)
    text = requests.get(s.url + "/monitoring/prometheus/metrics", timeout=T).text
    assert ':tensorflow:serving:request_count{model_name="half_plus_two",status="OK"} 3' in text
    assert 'model_name="iris_mlp",status="INVALID_ARGUMENT"} 1' in text
    assert ':tensorflow:serving:request_count{model_name="iris_mlp",status="OK"} 1' in text
    assert 'stfs_model_version_state{model="color_cnn",version="1",state="AVAILABLE"} 1' in text
