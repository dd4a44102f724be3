"""The project's example models (tools/make_example_models) served from their
generated models.config; expected answers follow from each model's
definition (docs/example-models.md, tools/make_example_models.cc)."""
import base64
import io
import os
import subprocess

import pytest
import requests

from test_cases import compare

T = 60


def find_build_file(binary, relative):
    """Walks up from the server binary to the build dir holding `relative`."""
    d = os.path.dirname(os.path.abspath(binary))
    while d != os.path.dirname(d):
        if os.path.exists(os.path.join(d, relative)):
            return os.path.join(d, relative)
        d = os.path.dirname(d)
    return None


@pytest.fixture(scope="module")
def example_config(server_binary, tmp_path_factory):
    """models.config of the example models: the build's, else freshly written."""
    config = os.environ.get("STFS_EXAMPLE_MODELS_CONFIG") or find_build_file(
        server_binary, "example_models/models.config")
    if config:
        return config
    tool = find_build_file(server_binary, "tools/make_example_models")
    if not tool:
        pytest.skip("no example_models/models.config and no make_example_models in the build")
    out = tmp_path_factory.mktemp("example_models")
    subprocess.run([tool, str(out)], check=True, timeout=120)
    return str(out / "models.config")


@pytest.fixture
def examples(start_server, example_config):
    return start_server(["--model_config_file=" + example_config])


def png(rgb, size=(40, 24)):
    from PIL import Image  # Debian python3-pil
    buf = io.BytesIO()
    Image.new("RGB", size, rgb).save(buf, format="PNG")
    return buf.getvalue()


COLORS = [("red", 0, (255, 0, 0)), ("green", 1, (0, 255, 0)), ("blue", 2, (0, 0, 255))]


def test_half_plus_two_predict_and_regress(examples):
    u = examples.url + "/v1/models/half_plus_two"
    r = requests.post(u + ":predict", json={"instances": [[1.0], [2.0], [-4.0]]}, timeout=T)
    assert r.status_code == 200, r.text
    assert compare(r.json(), {"predictions": [[2.5], [3.0], [0.0]]}, 0, 1e-6) is None
    r = requests.post(u + ":regress", json={"signature_name": "regress_x_to_y",
                                            "examples": [{"x": 10.0}, {"x": 0.0}]}, timeout=T)
    assert r.status_code == 200, r.text
    assert compare(r.json(), {"results": [7.0, 2.0]}, 0, 1e-6) is None
    # Original API on the same model.
    r = requests.post(examples.url + "/", json={"model_name": "half_plus_two",
                                                "data": {"x": [[6.0]]}}, timeout=T)
    assert r.json() == {"y": [[5.0]]}


def test_iris_mlp_classes(examples):
    rows = [[5.1, 3.5, 1.4, 0.2], [6.0, 2.9, 4.5, 1.5], [6.9, 3.1, 5.4, 2.1]]
    r = requests.post(examples.url + "/v1/models/iris_mlp:predict", json={"instances": rows},
                      timeout=T)
    assert r.status_code == 200, r.text
    preds = r.json()["predictions"]
    assert [p["class_name"] for p in preds] == ["setosa", "versicolor", "virginica"]
    assert [p["class_id"] for p in preds] == [0, 1, 2]
    for p in preds:
        assert abs(sum(p["probabilities"]) - 1.0) < 1e-5


@pytest.mark.parametrize("name,class_id,rgb", COLORS)
def test_color_cnn_image_bytes(examples, name, class_id, rgb):
    b64 = base64.b64encode(png(rgb)).decode()
    # image_bytes is a scalar string: the columnar form gives a rank-0 tensor.
    r = requests.post(examples.url + "/v1/models/color_cnn:predict",
                      json={"inputs": {"image_bytes": {"b64": b64}}}, timeout=T)
    assert r.status_code == 200, r.text
    out = r.json()["outputs"]
    assert out["class_name"] == [name] and out["class_id"] == [class_id]


@pytest.mark.parametrize("name,class_id,rgb", COLORS)
def test_color_cnn_tensor_multipart_upload(examples, name, class_id, rgb):
    # 40x24 PNG: the server decodes it and resizes it to the signature's 32x32.
    r = requests.post(examples.url + "/", files={"image": ("c.png", png(rgb), "image/png")},
                      data={"model_name": "color_cnn_tensor"}, timeout=T)
    assert r.status_code == 200, r.text
    assert r.json()["class_name"] == [name] and r.json()["class_id"] == [class_id]


def test_non_image_upload_is_400(examples):
    r = requests.post(examples.url + "/", files={"image": ("x.png", b"not an image", "image/png")},
                      data={"model_name": "color_cnn_tensor"}, timeout=T)
    assert r.status_code == 400, r.text
    assert r.json()["error"]
    assert requests.get(examples.url + "/health", timeout=T).text == "healthy"
