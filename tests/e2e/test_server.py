"""End-to-end tests of the server binary that need no real inference:
flags, start-up, status / error responses, auth, CORS, metrics, shutdown."""
import json
import os
import signal

import requests

from conftest import get_json, run_binary


def broken_model(tmp_path, name="broken"):
    """A base path whose only version holds a corrupt saved_model.pb."""
    version = tmp_path / name / "1"
    version.mkdir(parents=True)
    (version / "saved_model.pb").write_bytes(b"\x08\x01garbage")
    return str(tmp_path / name)


def test_help_exits_zero(server_binary):
    r = run_binary(server_binary, ["--help"])
    assert r.returncode == 0
    assert "Usage: simple_tensorflow_serving" in r.stdout
    assert "--model_config_file" in r.stdout


def test_bad_flags_exit_two_with_a_clear_message(server_binary):
    for args, needle in [(["--bogus=1"], "unknown flag --bogus"),
                         (["--enable_auth=maybe"], "not a boolean"),
                         (["--port=99999"], "--port"),
                         (["--custom_op_paths=/ops"], "not supported")]:
        r = run_binary(server_binary, args)
        assert r.returncode == 2, (args, r.stderr)
        assert needle in r.stderr, (args, r.stderr)
    r = run_binary(server_binary, [], env={"STFS_ENABLE_SSL": "perhaps"})
    assert r.returncode == 2 and "STFS_ENABLE_SSL" in r.stderr


def test_bad_config_file_fails_startup(server_binary, models_dir, tmp_path):
    r = run_binary(server_binary, ["--model_config_file=" + str(tmp_path / "missing.txt")])
    assert r.returncode == 1 and "missing.txt" in r.stderr
    bad = os.path.join(models_dir, "tfserving/_fixtures/bad_model_config.txt")
    r = run_binary(server_binary, ["--model_config_file=" + bad])
    assert r.returncode == 1 and "bad_model_config.txt" in r.stderr


def test_failed_load_is_reported_and_server_keeps_serving(start_server, tmp_path):
    s = start_server(["--model_base_path=" + broken_model(tmp_path)])
    assert "Try: curl" in s.log()
    r = requests.get(s.url + "/health", timeout=10)
    assert r.status_code == 200 and r.text == "healthy"
    code, body = get_json(s.url + "/v1/models/default")
    assert code == 200
    status = body["model_version_status"][0]
    assert status["version"] == "1"
    assert status["state"] == "END"
    assert status["status"]["error_code"] != "OK"
    assert status["status"]["error_message"]
    r = requests.post(s.url + "/v1/models/default:predict", json={"instances": [1.0]}, timeout=10)
    assert r.status_code == 404
    assert r.json()["error"].startswith("Servable not found for request: Latest(default)")
    assert "failed to load" in s.log()


def test_tf_serving_error_responses(start_server, tmp_path):
    s = start_server(["--model_base_path=" + broken_model(tmp_path)])
    r = requests.post(s.url + "/v1/models/half:predict", json={"instances": [1.0, 5.0]}, timeout=10)
    assert r.status_code == 404
    assert r.json() == {"error": "Servable not found for request: Latest(half)"}
    assert r.headers["Content-Type"] == "application/json"
    r = requests.get(s.url + "/v1/foo", timeout=10)
    assert r.status_code == 400 and "Malformed request: GET /v1/foo" in r.json()["error"]
    r = requests.get(s.url + "/v1/models/nope", timeout=10)
    assert r.status_code == 404
    assert r.json()["error"] == "Could not find any versions of model nope"
    r = requests.get(s.url + "/no/such/page", timeout=10)
    assert r.status_code == 404 and "error" in r.json()


def test_original_api_errors(start_server, tmp_path):
    s = start_server(["--model_base_path=" + broken_model(tmp_path)])
    r = requests.post(s.url + "/", data="{not json", headers={"Content-Type": "application/json"},
                      timeout=10)
    assert r.status_code == 400 and "Invalid json data" in r.json()["error"]
    r = requests.post(s.url + "/", json={"model_name": "nope", "data": {}}, timeout=10)
    assert r.status_code == 404
    assert "Invalid model name: nope, available models: default" in r.json()["error"]
    r = requests.post(s.url + "/", data="x", headers={"Content-Type": "text/csv"}, timeout=10)
    assert r.status_code == 400 and "unsupported content type" in r.json()["error"]


def test_config_files_in_both_formats(start_server, tmp_path):
    a = broken_model(tmp_path, "a")
    b = broken_model(tmp_path, "b")
    text = tmp_path / "models.config"
    text.write_text('model_config_list {\n'
                    f'  config {{ name: "alpha" base_path: "{a}" model_platform: "tensorflow" }}\n'
                    f'  config: {{ name: "beta", base_path: "{b}" }},\n'
                    '}\n')
    s = start_server(["--model_config_file=" + str(text)])
    code, models = get_json(s.url + "/v1/models")
    assert code == 200
    assert [m["model_name"] for m in models] == ["alpha", "beta"]
    assert models[0]["model_base_path"] == a
    assert models[0]["platform"] == "TensorFlow"
    s.stop()
    js = tmp_path / "models.json"
    js.write_text(json.dumps({"model_config_list": [
        {"name": "gamma", "base_path": a, "platform": "tensorflow"},
        {"name": "xgb", "base_path": str(tmp_path / "model.bst"), "platform": "xgboost"}]}))
    (tmp_path / "model.bst").write_bytes(b"x")
    s2 = start_server(["--model_config_file=" + str(js)])
    code, body = get_json(s2.url + "/v1/models/xgb")
    assert code == 200
    st = body["model_version_status"][0]
    assert st["state"] == "END" and st["status"]["error_code"] == "UNIMPLEMENTED"
    assert "xgboost" in st["status"]["error_message"]
    metrics = requests.get(s2.url + "/monitoring/prometheus/metrics", timeout=10).text
    error_lines = [l for l in metrics.splitlines()
                   if l.startswith('stfs_model_version_load_error{model="xgb",')]
    assert len(error_lines) == 1, error_lines
    assert 'code="UNIMPLEMENTED"' in error_lines[0]
    assert "xgboost" in error_lines[0]


def test_environment_variables(start_server, tmp_path):
    s = start_server([], env={"STFS_MODEL_NAME": "envmodel",
                              "STFS_MODEL_BASE_PATH": broken_model(tmp_path)})
    code, _ = get_json(s.url + "/v1/models/envmodel")
    assert code == 200


def test_basic_auth(start_server, tmp_path):
    s = start_server(["--model_base_path=" + broken_model(tmp_path), "--enable_auth",
                      "--auth_username=alice", "--auth_password=s3cret-pass"])
    assert requests.get(s.url + "/health", timeout=10).status_code == 200
    r = requests.get(s.url + "/v1/models", timeout=10)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith('Basic realm="Login Required"')
    assert requests.get(s.url + "/v1/models", auth=("alice", "wrong"), timeout=10).status_code == 401
    assert requests.get(s.url + "/v1/models", auth=("alice", "s3cret-pass"), timeout=10).status_code == 200
    assert "s3cret-pass" not in s.log()


def test_cors_on_by_default_and_off_on_request(start_server, tmp_path):
    base = broken_model(tmp_path)
    s = start_server(["--model_base_path=" + base])
    r = requests.get(s.url + "/v1/models", timeout=10)
    assert r.headers.get("Access-Control-Allow-Origin") == "*"
    s.stop()
    s2 = start_server(["--model_base_path=" + base, "--enable_cors=false"])
    r = requests.get(s2.url + "/v1/models", timeout=10)
    assert "Access-Control-Allow-Origin" not in r.headers


def test_prometheus_metrics(start_server, tmp_path):
    s = start_server(["--model_base_path=" + broken_model(tmp_path)])
    requests.post(s.url + "/v1/models/default:predict", json={"instances": [1.0]}, timeout=10)
    r = requests.get(s.url + "/monitoring/prometheus/metrics", timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "# TYPE :tensorflow:serving:request_count counter" in r.text
    assert ':tensorflow:serving:request_count{model_name="default",status="NOT_FOUND"} 1' in r.text
    assert 'stfs_model_version_state{model="default",version="1",state="END"} 1' in r.text


def test_graceful_stop_on_sigterm_and_sigint(start_server, tmp_path):
    base = broken_model(tmp_path)
    s = start_server(["--model_base_path=" + base])
    assert s.stop(signal.SIGTERM) == 0
    s2 = start_server(["--model_base_path=" + base])
    assert s2.stop(signal.SIGINT) == 0


def test_port_in_use_is_a_clear_error(start_server, server_binary, tmp_path):
    s = start_server(["--model_base_path=" + broken_model(tmp_path)])
    port = s.url.rsplit(":", 1)[1]
    r = run_binary(server_binary, ["--host=127.0.0.1", "--port=" + port,
                                   "--model_base_path=" + str(tmp_path / "broken")])
    assert r.returncode == 1
    assert port in r.stderr
