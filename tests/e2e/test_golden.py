"""Golden request/response pairs against the real binary on 127.0.0.1:
TF Serving's REST tests (tfserving-api.md 4) and the original
simple_tensorflow_serving API (original-stfs.md 3.1, 3.2, 4), with expected
values taken from those references and from shared/models/cases.json."""
import base64
import json
import os
import subprocess

import pytest
import requests

from test_cases import compare, load_cases

T = 60  # seconds per HTTP request


def post(url, body):
    return requests.post(url, json=body, timeout=T)


def sorted_json(x):
    """Order-insensitive form for the metadata fixture ("sorted comparison")."""
    if isinstance(x, dict):
        return {k: sorted_json(v) for k, v in sorted(x.items())}
    if isinstance(x, list):
        return sorted((sorted_json(v) for v in x), key=json.dumps)
    return x


def find_case(models_dir, case_id):
    return next(c for c in load_cases(models_dir) if c["id"] == case_id)


# ------------------------------------------------------------ TF Serving REST


@pytest.fixture
def half_plus_two(start_server, models_dir):
    base = os.path.join(models_dir, "tfserving/saved_model_half_plus_two_cpu")
    return start_server(["--model_base_path=" + base])


def test_tfserving_golden_1_to_7(half_plus_two, models_dir):
    u = half_plus_two.url + "/v1/models/default"
    r = post(u + ":predict", {"instances": [2.0, 3.0, 4.0]})
    assert (r.status_code, r.json()) == (200, {"predictions": [3.0, 3.5, 4.0]})
    r = post(u + ":predict", {"inputs": [2.0, 3.0, 4.0]})
    assert (r.status_code, r.json()) == (200, {"outputs": [3.0, 3.5, 4.0]})
    r = post(u + ":classify", {"signature_name": "classify_x_to_y", "examples": [{"x": 2.0}]})
    assert (r.status_code, r.json()) == (200, {"results": [[["", 3.0]]]})
    r = post(u + ":regress", {"signature_name": "regress_x_to_y", "examples": [{"x": 2.0}]})
    assert (r.status_code, r.json()) == (200, {"results": [3.0]})
    r = requests.get(u, timeout=T)
    assert r.json() == {"model_version_status": [
        {"version": "123", "state": "AVAILABLE", "status": {"error_code": "OK", "error_message": ""}}]}
    r = requests.get(u + "/metadata", timeout=T)
    with open(os.path.join(models_dir, "tfserving/_fixtures/half_plus_two_model_metadata.json")) as f:
        assert sorted_json(r.json()) == sorted_json(json.load(f))
    r = requests.get(half_plus_two.url + "/monitoring/prometheus/metrics", timeout=T)
    assert r.status_code == 200 and "# TYPE" in r.text
    # Every response is JSON with that content type.
    assert r.headers["Content-Type"].startswith("text/plain")
    assert requests.get(u, timeout=T).headers["Content-Type"] == "application/json"


def test_tfserving_two_versions_labels_and_errors(start_server, models_dir, tmp_path):
    base = os.path.join(models_dir, "tfserving/saved_model_half_plus_two_2_versions")
    config = tmp_path / "models.config"
    config.write_text('model_config_list { config { name: "saved_model_half_plus_two_2_versions" '
                      f'base_path: "{base}" model_platform: "tensorflow" '
                      'model_version_policy { specific { versions: 123 } } '
                      'version_labels { key: "Version_Label" value: 123 } } }\n')
    s = start_server(["--model_config_file=" + str(config)])
    u = s.url + "/v1/models/saved_model_half_plus_two_2_versions"
    golden = [
        (":predict", {"instances": [[1.0, 2.0], [3.0, 4.0]]}, {"predictions": [[2.5, 3.0], [3.5, 4.0]]}),
        ("/versions/123:predict", {"instances": [1.0, 2.0]}, {"predictions": [2.5, 3.0]}),
        ("/labels/Version_Label:predict", {"instances": [1.0, 2.0]}, {"predictions": [2.5, 3.0]}),
        ("/versions/123:predict", {"signature_name": "serving_default", "instances": [3.0, 4.0]},
         {"predictions": [3.5, 4.0]}),
        ("/versions/123:predict", {"signature_name": "serving_default", "inputs": [3.0, 4.0]},
         {"outputs": [3.5, 4.0]}),
        (":regress", {"signature_name": "regress_x_to_y", "examples": [{"x": 80.0}]}, {"results": [42]}),
        (":classify", {"signature_name": "classify_x_to_y", "examples": [{"x": 20.0}]},
         {"results": [[["", 12]]]}),
        ("/labels/Version_Label:classify", {"signature_name": "classify_x_to_y",
                                            "examples": [{"x": 10.0}]}, {"results": [[["", 7]]]}),
    ]
    for path, body, want in golden:
        r = post(u + path, body)
        assert r.status_code == 200, (path, r.text)
        assert compare(r.json(), want, 0, 1e-6) is None, (path, r.text)
    r = post(s.url + "/v1/models/foo:predict", {"instances": [1]})
    assert r.status_code == 404
    errors = [(":predict", "", "JSON Parse error: The document is empty"),
              (":predict", "instances = [1, 2]", "JSON Parse error: Invalid value"),
              (":predict", '{"instances": ["x", "y"]}', "not of expected type: float"),
              (":predict", '{"signature_name": 100}', "'signature_name' key must be a string value."),
              ("/labels/Version_Nonexistent:predict", '{"instances": [1.0]}',
               "Unrecognized servable version label")]
    for path, body, needle in errors:
        r = requests.post(u + path, data=body, headers={"Content-Type": "application/json"}, timeout=T)
        assert r.status_code == 400, (path, body, r.text)
        assert needle in r.json()["error"], (path, body, r.text)


def test_half_plus_three_published(start_server, models_dir):
    base = os.path.join(models_dir, "tfserving/saved_model_half_plus_three")
    s = start_server(["--model_name=saved_model_half_plus_three", "--model_base_path=" + base])
    u = s.url + "/v1/models/saved_model_half_plus_three"
    st = requests.get(u, timeout=T).json()["model_version_status"][0]
    assert (st["version"], st["state"]) == ("123", "AVAILABLE")
    r = post(u + ":predict", {"instances": [1.0, 2.0, 5.0]})
    assert r.json() == {"predictions": [3.5, 4.0, 5.5]}
    # The signature declares "inputs" as DT_FLOAT over a string placeholder.
    r = post(u + ":regress", {"signature_name": "tensorflow/serving/regress",
                              "examples": [{"x": 1.0}, {"x": 2.0}]})
    assert (r.status_code, r.json()) == (200, {"results": [3.5, 4.0]})
    r = post(s.url + "/v1/models/half:predict", {"instances": [1.0, 5.0]})
    assert (r.status_code, r.json()) == (404, {"error": "Servable not found for request: Latest(half)"})


def test_empty_tag_set_needs_saved_model_tags(start_server, models_dir):
    base = os.path.join(models_dir, "tensorflow/half_plus_two_empty_tags")
    s = start_server(["--model_base_path=" + base])  # default tag set "serve": refused
    st = requests.get(s.url + "/v1/models/default", timeout=T).json()["model_version_status"][0]
    assert st["state"] == "END" and st["status"]["error_code"] != "OK"
    s.stop()
    s = start_server(["--model_base_path=" + base, "--saved_model_tags="])
    r = post(s.url + "/v1/models/default:predict", {"instances": [[1.0], [3.0]]})
    assert r.status_code == 200, r.text
    assert compare(r.json(), {"predictions": [[2.5], [3.5]]}, 0, 1e-6) is None


# ------------------------------------------------------ original STFS API


@pytest.fixture
def stfs_server(start_server, models_dir, tmp_path):
    def base(d):
        return os.path.join(models_dir, d)
    config = tmp_path / "models.json"
    config.write_text(json.dumps({"model_config_list": [
        {"name": "default", "base_path": base("tfserving/saved_model_half_plus_two_cpu"),
         "platform": "tensorflow"},
        {"name": "deep_image_model", "base_path": base("stfs/deep_image_model"), "platform": "tensorflow"},
        {"name": "estimator", "base_path": base("stfs/tensorflow_estimator_model"),
         "platform": "tensorflow"},
        {"name": "template", "base_path": base("stfs/tensorflow_template_application_model"),
         "platform": "tensorflow"}]}))
    return start_server(["--model_config_file=" + str(config), "--enable_b64_autoconvert"])


def test_original_json_inference(stfs_server):
    u = stfs_server.url + "/"
    r = post(u, {"data": {"x": [[1.0], [2.0]]}})  # model "default", serving_default
    assert (r.status_code, r.json()) == (200, {"y": [[2.5], [3.0]]})
    # Template model, latest version (2): golden rows of original-stfs.md 3.1.
    r = post(u, {"model_name": "template", "data": {
        "keys": [[11.0], [2.0]], "features": [[1] * 9, [5, -5, 5, -5, 5, -5, 5, -5, 5]]}})
    assert r.status_code == 200, r.text
    want = {"keys": [[11], [2]], "prediction": [0, 0],
            "softmax": [[0.6414869428, 0.3585130274], [1.0, 1.006917e-15]]}
    assert compare(r.json(), want, 0, 1e-6) is None, r.text
    r = post(u, {"model_name": "template", "model_version": "2", "run_profile": "true",
                 "data": {"keys": [[1]], "features": [[1] * 9]}})
    assert r.status_code == 200 and "__PROFILE__" in r.json()


def test_original_estimator_base64_decode_and_b64_objects(stfs_server, models_dir):
    case = find_case(models_dir, "stfs/tensorflow_estimator_model:predict_tf_example_b64")
    std = [v["b64"] for v in case["inputs"]["inputs"]]
    urlsafe = [base64.urlsafe_b64encode(base64.b64decode(s)).decode() for s in std]
    want = case["expected"]
    r = post(stfs_server.url + "/", {"model_name": "estimator", "base64_decode": True,
                                     "data": {"inputs": urlsafe}})
    assert r.status_code == 200, r.text
    assert compare(r.json(), want, case["rtol"], case["atol"]) is None, r.text
    r = post(stfs_server.url + "/", {"model_name": "estimator",
                                     "data": {"inputs": [{"b64": s} for s in urlsafe]}})
    assert r.status_code == 200, r.text
    assert compare(r.json(), want, case["rtol"], case["atol"]) is None, r.text
    # original-stfs.md 4: the --enable_b64_autoconvert example (URL-safe alphabet).
    r = post(stfs_server.url + "/", {"model_name": "estimator", "data": {
        "inputs": [{"b64": "Ch8KDgoBYRIJCgcKBWhlbGxvCg0KAWISCBIGCgQAAAA_"}]}})
    assert r.status_code == 200, r.text
    assert compare(r.json()["scores"], [want["scores"][2]], case["rtol"], case["atol"]) is None


def test_original_multipart_upload_deep_image_model(stfs_server, models_dir):
    case = find_case(models_dir, "stfs/deep_image_model:predict_mew")
    image = os.path.join(models_dir, "stfs/_test_inputs/images_mew.jpg")
    with open(image, "rb") as f:
        r = requests.post(stfs_server.url + "/", files={"image": ("mew.jpg", f, "image/jpeg")},
                          data={"model_name": "deep_image_model"}, timeout=T)
    assert r.status_code == 200, r.text
    assert r.json()["prediction"] == case["expected"]["prediction"]
    assert compare(r.json(), case["expected"], case["rtol"], case["atol"]) is None
    # The same with curl, as in the original's README.
    out = subprocess.run(["curl", "-s", "-X", "POST", "-F", "image=@" + image,
                          "-F", "model_name=deep_image_model", stfs_server.url + "/"],
                         capture_output=True, text=True, timeout=T)
    assert json.loads(out.stdout)["prediction"] == case["expected"]["prediction"]
