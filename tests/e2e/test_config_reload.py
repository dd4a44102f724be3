"""Config reloads (file polling and SIGHUP, text and JSON formats), version
labels, failed new versions (corrupted, unsupported op, bad warm-up file)
keeping the previous version serving, and warm-up replay."""
import json
import os
import signal
import subprocess

import requests

from reload_util import (PREDICT_LOG, ZERO_OUT, available, copy_version, predict,
                         version_states, wait_for, write_warmup_tool)


def text_config(models):
    """models: [(name, base_path, {label: version})] -> TF Serving text format."""
    out = ["model_config_list {"]
    for name, base, labels in models:
        out.append(f"  config {{ name: '{name}' base_path: '{base}' model_platform: 'tensorflow'")
        if labels:
            out.append("    model_version_policy { all {} }")
        for k, v in (labels or {}).items():
            out.append(f"    version_labels {{ key: '{k}' value: {v} }}")
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def json_config(models):
    return json.dumps({"model_config_list": [
        {"name": n, "base_path": b, "platform": "tensorflow"} for n, b, _ in models]})


def make_models(models_dir, tmp_path, *names):
    bases = {}
    for n in names:
        base = tmp_path / n
        base.mkdir()
        copy_version(models_dir, str(base), 1)
        bases[n] = str(base)
    return bases


def test_text_config_file_poll_adds_and_removes_models(start_server, models_dir, tmp_path):
    b = make_models(models_dir, tmp_path, "a", "b")
    cfg = tmp_path / "models.config"
    cfg.write_text(text_config([("a", b["a"], None)]))
    s = start_server([f"--model_config_file={cfg}", "--model_config_file_poll_wait_seconds=1"])
    assert available(s.url, "a") == {1}
    assert requests.get(s.url + "/v1/models/b", timeout=10).status_code == 404
    cfg.write_text(text_config([("a", b["a"], None), ("b", b["b"], None)]))
    assert wait_for(lambda: available(s.url, "b") == {1}, timeout=20), s.log()[-2000:]
    assert predict(s.url, "b").json() == {"predictions": [[2.5], [3.0]]}
    cfg.write_text(text_config([("b", b["b"], None)]))
    assert wait_for(lambda: requests.get(s.url + "/v1/models/a", timeout=10).status_code == 404,
                    timeout=20)
    assert predict(s.url, "a").status_code == 404
    assert predict(s.url, "b").status_code == 200
    # A broken file is reported and changes nothing.
    cfg.write_text("model_config_list { config { name: ")
    assert wait_for(lambda: "config reload:" in s.log() and "keeping the current config" in s.log(),
                    timeout=20)
    assert predict(s.url, "b").status_code == 200


def test_json_config_reload_on_sighup(start_server, models_dir, tmp_path):
    b = make_models(models_dir, tmp_path, "a", "b")
    cfg = tmp_path / "models.json"
    cfg.write_text(json_config([("a", b["a"], None)]))
    s = start_server([f"--model_config_file={cfg}"])  # no file polling: SIGHUP only
    assert available(s.url, "a") == {1}
    cfg.write_text(json_config([("b", b["b"], None)]))
    s.proc.send_signal(signal.SIGHUP)
    assert wait_for(lambda: available(s.url, "b") == {1}, timeout=20), s.log()[-2000:]
    assert wait_for(lambda: requests.get(s.url + "/v1/models/a", timeout=10).status_code == 404)
    assert "received SIGHUP" in s.log()
    assert s.proc.poll() is None  # SIGHUP does not stop the server


def test_labels_must_point_at_available_versions(start_server, models_dir, tmp_path):
    b = make_models(models_dir, tmp_path, "m")
    copy_version(models_dir, b["m"], 2)
    cfg = tmp_path / "models.config"
    cfg.write_text(text_config([("m", b["m"], {"stable": 1, "canary": 2})]))
    s = start_server([f"--model_config_file={cfg}"])
    assert available(s.url, "m") == {1, 2}
    assert predict(s.url, "m", label="stable").status_code == 200
    status = requests.get(s.url + "/v1/models/m/labels/canary", timeout=10).json()
    assert [v["version"] for v in status["model_version_status"]] == ["2"]
    # A label to a version that is not loaded is refused; the old labels stay.
    cfg.write_text(text_config([("m", b["m"], {"stable": 1, "canary": 7})]))
    s.proc.send_signal(signal.SIGHUP)
    assert wait_for(lambda: "not currently available for inference" in s.log(), timeout=20)
    status = requests.get(s.url + "/v1/models/m/labels/canary", timeout=10).json()
    assert [v["version"] for v in status["model_version_status"]] == ["2"]
    # At startup the same config fails.
    r = subprocess.run([s.args[0], "--host=127.0.0.1", "--port=0", f"--model_config_file={cfg}"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "not currently available" in r.stderr, r.stderr[-2000:]
    # ... unless new labels may point at unavailable versions.
    cfg.write_text(text_config([("m", b["m"], {"stable": 1, "later": 7})]))
    s2 = start_server([f"--model_config_file={cfg}", "--allow_version_labels_for_unavailable_models"])
    assert predict(s2.url, "m", label="later").status_code == 404
    assert predict(s2.url, "m", label="stable").status_code == 200


def failing_version_case(start_server, models_dir, tmp_path, make_bad, needle):
    b = make_models(models_dir, tmp_path, "m")
    s = start_server(["--model_name=m", f"--model_base_path={b['m']}",
                      "--file_system_poll_wait_seconds=1", "--max_num_load_retries=1",
                      "--load_retry_interval_micros=200000"])
    assert available(s.url, "m") == {1}
    tmp = os.path.join(b["m"], ".tmp-2")
    make_bad(tmp)
    os.rename(tmp, os.path.join(b["m"], "2"))

    def failed():
        states = version_states(s.url, "m")
        return states.get(2, ("", ""))[0] == "END" and states[2][1] and states

    states = wait_for(failed, timeout=30)
    assert states, (version_states(s.url, "m"), s.log()[-3000:])
    assert needle in states[2][1], states
    assert states[1][0] == "AVAILABLE"
    assert predict(s.url, "m").json() == {"predictions": [[2.5], [3.0]]}
    # The original API's model list shows the error too.
    assert needle in requests.get(s.url + "/v1/models", timeout=10).text
    return s


def test_corrupted_version_keeps_previous(start_server, models_dir, tmp_path):
    def make_bad(tmp):
        copy_version(models_dir, os.path.dirname(tmp), "x")
        os.rename(os.path.join(os.path.dirname(tmp), "x"), tmp)
        with open(os.path.join(tmp, "saved_model.pb"), "wb") as f:
            f.write(b"\x08\x01garbage that is not a SavedModel")
    failing_version_case(start_server, models_dir, tmp_path, make_bad, "saved_model.pb")


def test_unsupported_op_version_keeps_previous(start_server, models_dir, tmp_path):
    def make_bad(tmp):
        import shutil
        shutil.copytree(os.path.join(models_dir, ZERO_OUT), tmp)
    failing_version_case(start_server, models_dir, tmp_path, make_bad, "ZeroOut")


def test_warmup_replayed_and_malformed_warmup_fails_the_load(start_server, server_binary,
                                                             models_dir, tmp_path):
    tool = write_warmup_tool(server_binary)
    base = tmp_path / "m"
    base.mkdir()
    copy_version(models_dir, str(base), 1)
    (base / "1" / "assets.extra").mkdir()
    warm = base / "1" / "assets.extra" / "tf_serving_warmup_requests"
    subprocess.run([tool, str(warm), "3", PREDICT_LOG], check=True)
    s = start_server(["--model_name=m", f"--model_base_path={base}",
                      "--max_num_load_retries=0"])
    # stderr is read by another thread than the "listening" line: wait for it.
    assert wait_for(lambda: "warm-up: replayed 3 request(s)" in s.log(), timeout=10), s.log()[-2000:]
    assert available(s.url, "m") == {1}

    def make_bad(tmp):
        copy_version(models_dir, str(base), "x")
        os.rename(base / "x", tmp)
        os.mkdir(os.path.join(tmp, "assets.extra"))
        data = bytearray(warm.read_bytes())
        data[20] ^= 0xFF  # breaks the first record's data crc
        with open(os.path.join(tmp, "assets.extra", "tf_serving_warmup_requests"), "wb") as f:
            f.write(bytes(data))
    make_bad(str(base / ".tmp-2"))
    os.rename(base / ".tmp-2", base / "2")

    def failed():
        states = version_states(s.url, "m")
        return states.get(2, ("", ""))[0] == "END" and states[2][1] and states

    states = wait_for(failed, timeout=30)
    assert states and "tf_serving_warmup_requests" in states[2][1], (states, s.log()[-2000:])
    assert "corrupted data" in states[2][1]
    assert available(s.url, "m") == {1}
