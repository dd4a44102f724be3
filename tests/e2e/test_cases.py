"""Golden inference cases (shared/models/cases.json) over the TF Serving REST API.

All model_dirs are served by one server from a generated text-format
ModelServerConfig (name = model_dir with '/' replaced by '__', all versions).
Each case is sent as :predict / :classify / :regress and compared within its
rtol / atol (shared/models/README.md).

known_failing_cases.txt lists cases expected to fail, one per line:
"<case id> <reason>". Such a case is reported as xfail with its reason; if it
passes, the test FAILS so that the entry gets removed (the list only shrinks).
Run with --update-known-failing to rewrite the list from the current results.
"""
import base64
import json
import os

import pytest
import requests

from conftest import ServerProcess

HERE = os.path.dirname(os.path.abspath(__file__))
KNOWN_FAILING = os.path.join(HERE, "known_failing_cases.txt")


def load_cases(models_dir):
    with open(os.path.join(models_dir, "cases.json")) as f:
        return json.load(f)


def load_known_failing():
    known = {}
    if os.path.exists(KNOWN_FAILING):
        with open(KNOWN_FAILING) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                case_id, _, reason = line.partition(" ")
                known[case_id] = reason.strip() or "listed in known_failing_cases.txt"
    return known


def model_name(model_dir):
    return model_dir.replace("/", "__")


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames:
        cases = load_cases(metafunc.config.getoption("--models-dir"))
        metafunc.parametrize("case", cases, ids=[c["id"] for c in cases])


def tag_key(case):
    """Cases with "load_tags" need a server started with that --saved_model_tags."""
    tags = case.get("load_tags")
    return None if tags is None else ",".join(tags)


def start_case_server(server_binary, models_dir, dirs, tmp_path_factory, tags):
    lines = ["model_config_list {"]
    for d in dirs:
        lines.append('  config { name: "%s" base_path: "%s" model_platform: "tensorflow" '
                     'model_version_policy { all {} } }'
                     % (model_name(d), os.path.join(models_dir, d)))
    lines.append("}")
    config = tmp_path_factory.mktemp("cases") / "models.config"
    config.write_text("\n".join(lines) + "\n")
    args = ["--model_config_file=" + str(config)]
    if tags is not None:
        args.append("--saved_model_tags=" + tags)
    return ServerProcess(server_binary, args)


class CaseServers:
    """The default-tag server plus one per distinct load_tags, started lazily."""

    def __init__(self, server_binary, models_dir, cases, tmp_path_factory):
        self.args = (server_binary, models_dir)
        self.tmp = tmp_path_factory
        self.cases = cases
        self.servers = {}

    def url_for(self, case):
        key = tag_key(case)
        if key not in self.servers:
            dirs = sorted({c["model_dir"] for c in self.cases if tag_key(c) == key})
            self.servers[key] = start_case_server(*self.args, dirs, self.tmp, key)
        return self.servers[key].url

    def stop(self):
        for s in self.servers.values():
            s.stop()


@pytest.fixture(scope="module")
def case_server(request, server_binary, models_dir, tmp_path_factory):
    cases = load_cases(models_dir)
    dirs = sorted({c["model_dir"] for c in cases if tag_key(c) is None})
    servers = CaseServers(server_binary, models_dir, cases, tmp_path_factory)
    server_url = servers.url_for({})
    status = requests.get(server_url + "/v1/models/" + model_name(dirs[0]), timeout=30).json()
    message = json.dumps(status)
    if "this build has no TensorFlow backend" in message:
        servers.stop()
        pytest.skip("the server binary was built without the TensorFlow backend (src/backend/tf)")
    results = {}
    yield servers, results
    servers.stop()
    if request.config.getoption("--update-known-failing"):
        with open(KNOWN_FAILING, "w") as f:
            f.write("# Cases of shared/models/cases.json expected to fail: '<case id> <reason>'.\n"
                    "# The e2e runner fails when a listed case passes; keep this list shrinking.\n")
            for case_id, error in sorted(results.items()):
                if error is not None:
                    f.write("%s %s\n" % (case_id, error.splitlines()[0][:200]))


def as_bytes(v):
    if isinstance(v, dict) and set(v) == {"b64"}:
        return base64.b64decode(v["b64"])
    if isinstance(v, str):
        return v.encode("utf-8")
    return None


def compare(got, want, rtol, atol, path="$"):
    """Returns None if equal within tolerance, else a description."""
    wb = as_bytes(want)
    if wb is not None:
        gb = as_bytes(got)
        return None if gb == wb else f"{path}: got {got!r}, want {want!r}"
    if isinstance(want, bool) or isinstance(got, bool):
        ok = isinstance(got, bool) and isinstance(want, bool) and got == want
        return None if ok else f"{path}: got {got!r}, want {want!r}"
    if isinstance(want, (int, float)):
        if not isinstance(got, (int, float)):
            return f"{path}: got {got!r}, want number {want!r}"
        if want != want:  # NaN
            return None if got != got else f"{path}: got {got!r}, want NaN"
        if abs(got - want) <= atol + rtol * abs(want):
            return None
        return f"{path}: got {got!r}, want {want!r} (rtol {rtol}, atol {atol})"
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return f"{path}: got {json.dumps(got)[:200]}, want {json.dumps(want)[:200]}"
        for i, (g, w) in enumerate(zip(got, want)):
            err = compare(g, w, rtol, atol, f"{path}[{i}]")
            if err:
                return err
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path}: got {json.dumps(got)[:200]}, want an object"
        for k, w in want.items():
            if k not in got:
                return f"{path}: missing key {k!r} (got keys {sorted(got)})"
            err = compare(got[k], w, rtol, atol, f"{path}.{k}")
            if err:
                return err
        return None
    return None if got == want else f"{path}: got {got!r}, want {want!r}"


def run_case(url, case):
    path = "/v1/models/" + model_name(case["model_dir"])
    if case.get("version") is not None:
        path += "/versions/%d" % case["version"]
    method = case["method"]
    body = {"signature_name": case["signature_name"]}
    if method == "predict":
        body["inputs"] = case["inputs"]
    else:
        body.update(case["inputs"])
    r = requests.post(url + path + ":" + method, json=body, timeout=300)
    try:
        got = r.json()
    except ValueError:
        return f"HTTP {r.status_code}: not JSON: {r.text[:200]}"
    if r.status_code != 200:
        return f"HTTP {r.status_code}: {got.get('error', got)}"
    rtol, atol = case.get("rtol", 0), case.get("atol", 0)
    if method == "predict":
        outputs = got.get("outputs")
        if not isinstance(outputs, dict) or (len(case["expected"]) == 1 and
                                             next(iter(case["expected"])) not in outputs):
            # Single-output signature: the bare value.
            outputs = {next(iter(case["expected"])): outputs}
        return compare(outputs, case["expected"], rtol, atol)
    return compare(got, case["expected"], rtol, atol)


def test_case(case, case_server, request):
    servers, results = case_server
    known = load_known_failing()
    error = run_case(servers.url_for(case), case)
    results[case["id"]] = error
    if case["id"] in known:
        if error is None:
            pytest.fail(f"{case['id']} passes now: remove it from known_failing_cases.txt")
        pytest.xfail(known[case["id"]] + " | now: " + error)
    assert error is None, error
