"""The binary's subcommands, run as a user would: `simple_tensorflow_serving
predict DIR ...` over every predict case of shared/models/cases.json (issue
#3: every case passes through `predict`), plus `inspect` and usage errors.

Skipped here: stateful sequences (they need one process across steps; the
HTTP runner covers them) and cases listed in known_failing_cases.txt (they
must fail here too, with the same reason).
"""
import json
import os

import pytest

from conftest import run_binary
from test_cases import compare, load_cases, load_known_failing


def predict_cases(models_dir):
    return [c for c in load_cases(models_dir) if c["method"] == "predict" and not c.get("stateful")]


def pytest_generate_tests(metafunc):
    if "cli_case" in metafunc.fixturenames:
        cases = predict_cases(metafunc.config.getoption("--models-dir"))
        metafunc.parametrize("cli_case", cases, ids=[c["id"] for c in cases])


def test_predict_command_matches_case(cli_case, server_binary, models_dir, tmp_path):
    case = cli_case
    model_dir = os.path.join(models_dir, case["model_dir"])
    if case["version"] is not None:  # the folder of that number ("00000123" is version 123)
        folder = [d for d in os.listdir(model_dir) if d.isdigit() and int(d) == case["version"]]
        assert len(folder) == 1, folder
        model_dir = os.path.join(model_dir, folder[0])
    args = ["predict", model_dir, "--signature_name", case["signature_name"]]
    for i, (alias, value) in enumerate(sorted(case["inputs"].items())):
        path = tmp_path / ("input%d.json" % i)
        path.write_text(json.dumps(value))
        args += ["--inputs", "%s=@%s" % (alias, path)]
    if case.get("load_tags") is not None:  # [] = the empty tag set
        args.append("--tag_set=" + ",".join(case["load_tags"]))
    result = run_binary(server_binary, args, timeout=300)
    known = load_known_failing()
    if case["id"] in known:
        assert result.returncode != 0, "listed in known_failing_cases.txt but passes: remove it"
        pytest.xfail(known[case["id"]])
    assert result.returncode == 0, result.stderr
    outputs = json.loads(result.stdout)["outputs"]
    got = {alias: t["value"] for alias, t in outputs.items()}
    error = compare(got, case["expected"], case["rtol"], case["atol"])
    assert error is None, error


def test_predict_command_half_plus_two_by_definition(server_binary, models_dir):
    # y = 0.5 * x + 2 (the model's definition), through the real binary.
    model = os.path.join(models_dir, "tfserving", "saved_model_half_plus_two_cpu")
    result = run_binary(server_binary, ["predict", model, "--signature_name", "serving_default",
                                        "--inputs", "x=[[1.0],[2.0],[-4.0]]"])
    assert result.returncode == 0, result.stderr
    y = json.loads(result.stdout)["outputs"]["y"]
    assert y == {"dtype": "float", "shape": [3, 1], "value": [[2.5], [3.0], [0.0]]}


def test_predict_command_errors_name_the_problem(server_binary, models_dir, tmp_path):
    usage = run_binary(server_binary, ["predict"])
    assert usage.returncode == 2 and "missing model DIR" in usage.stderr
    missing = run_binary(server_binary, ["predict", str(tmp_path / "nope"), "--inputs", "x=[1]"])
    assert missing.returncode == 1 and str(tmp_path / "nope") in missing.stderr
    model = os.path.join(models_dir, "tfserving", "saved_model_half_plus_two_cpu")
    bad_alias = run_binary(server_binary, ["predict", model, "--inputs", "nosuch=[[1.0]]"])
    assert bad_alias.returncode == 1 and "nosuch" in bad_alias.stderr


def test_inspect_command_lists_signatures(server_binary, models_dir):
    model = os.path.join(models_dir, "tfserving", "saved_model_half_plus_two_cpu")
    text = run_binary(server_binary, ["inspect", model])
    assert text.returncode == 0, text.stderr
    assert "signature 'serving_default'" in text.stdout
    as_json = run_binary(server_binary, ["inspect", model, "--json"])
    assert as_json.returncode == 0, as_json.stderr
    assert "serving_default" in json.dumps(json.loads(as_json.stdout))
