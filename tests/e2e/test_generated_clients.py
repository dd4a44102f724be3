"""Generated clients (GET /v1/models/<m>/gen_client) run against the real
server: for every language whose toolchain is installed, the program for
half_plus_two, iris_mlp and color_cnn_tensor must print the right prediction.

The programs send the example request (every value 1.0), so the expected
outputs are derived by hand from the example models' weights
(tools/make_example_models.cc):
  half_plus_two      y = 0.5 * 1 + 2 = 2.5
  iris_mlp           logits = [-4*1 + 10, 0, 4*1 - 7] = [6, 0, -3]
                     -> softmax [0.997405, 0.0024723, 0.00012309], "setosa"
  color_cnn_tensor   a uniform image: equal channel means, logits 0
                     -> probabilities [1/3, 1/3, 1/3]
Rust builds against Debian's ureq crate (librust-ureq-dev, offline directory
source) when installed, else against src/codegen/testdata/ureq_stub.
"""
import glob
import json
import os
import shutil
import subprocess

import pytest
import requests

from conftest import ServerProcess

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
UREQ_STUB = os.path.join(REPO, "src/codegen/testdata/ureq_stub")
DEBIAN_CARGO_REGISTRY = "/usr/share/cargo/registry"
MODELS = ["half_plus_two", "iris_mlp", "color_cnn_tensor"]


def find_example_models(server_binary):
    """build/<dir>/example_models, found upwards from the binary."""
    d = os.path.dirname(os.path.abspath(server_binary))
    for _ in range(5):
        candidate = os.path.join(d, "example_models")
        if os.path.isfile(os.path.join(candidate, "models.config")):
            return candidate
        d = os.path.dirname(d)
    return None


@pytest.fixture(scope="module")
def server(server_binary):
    examples = find_example_models(server_binary)
    if examples is None:
        pytest.skip("example_models/models.config not found next to the server binary")
    s = ServerProcess(server_binary, [f"--model_config_file={examples}/models.config"])
    yield s
    s.stop()


def have(tool):
    return shutil.which(tool) is not None


def debian_ureq():
    return sorted(glob.glob(os.path.join(DEBIAN_CARGO_REGISTRY, "ureq-2.*")))


def runner(language, workdir, code):
    """(argv-string for sh, why-skipped) for the program `code` in `workdir`."""
    def write(name, text):
        path = os.path.join(workdir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    if language == "curl":
        if not (have("bash") and have("curl")):
            return None, "bash/curl not installed"
        write("client.sh", code)
        return "bash client.sh", None
    if language == "python":
        write("client.py", code)
        return "/usr/bin/python3 client.py", None  # Debian's python3-requests
    if language == "go":
        if not have("go"):
            return None, "go not installed"
        write("main.go", code)
        cache = os.path.join(workdir, "..", "gocache")
        return f"GOCACHE={cache} GOPATH={cache}/path GOFLAGS=-mod=mod GO111MODULE=off go run main.go", None
    if language == "javascript":
        if not have("node"):
            return None, "node not installed"
        write("client.js", code)
        return "node client.js", None
    if language == "java":
        if not have("java"):
            return None, "java not installed"
        write("Client.java", code)
        return "java Client.java", None
    if language == "cpp":
        if not have("g++") or not os.path.exists("/usr/include/x86_64-linux-gnu/curl/curl.h") and \
                not os.path.exists("/usr/include/curl/curl.h"):
            return None, "g++ or libcurl4-openssl-dev not installed"
        write("client.cc", code)
        return "g++ -std=c++17 -Wall -Werror client.cc -lcurl -o client && ./client", None
    if language == "rust":
        if not have("cargo"):
            return None, "cargo not installed"
        write("src/main.rs", code)
        target = os.path.join(workdir, "..", "cargo_target")
        if debian_ureq():
            # The real ureq from Debian's packaged crates, offline; no TLS
            # features (the server is plain http on 127.0.0.1).
            write("Cargo.toml", '[package]\nname = "client"\nversion = "0.1.0"\nedition = "2021"\n\n'
                  '[dependencies]\nureq = { version = "2", default-features = false }\n')
            write(".cargo/config.toml", '[source.crates-io]\nreplace-with = "debian"\n\n'
                  f'[source.debian]\ndirectory = "{DEBIAN_CARGO_REGISTRY}"\n\n'
                  '[net]\noffline = true\n')
        else:
            write("Cargo.toml", '[package]\nname = "client"\nversion = "0.1.0"\nedition = "2021"\n\n'
                  f'[dependencies]\nureq = {{ path = "{UREQ_STUB}" }}\n')
        return f"CARGO_TARGET_DIR={target} cargo run --quiet --offline", None
    if language == "php":
        if not have("php"):
            return None, "php not installed"
        write("client.php", code)
        return "php client.php", None
    if language == "ruby":
        if not have("ruby"):
            return None, "ruby not installed"
        write("client.rb", code)
        return "ruby client.rb", None
    if language == "csharp":
        if not have("dotnet"):
            return None, "dotnet not installed"
        return None, "C# is only compile-checked by codegen_exec_test"
    return None, f"no runner for {language}"


def parse_json_output(text):
    start, end = text.find("{"), text.rfind("}")
    assert start >= 0 and end > start, f"no JSON object in the output:\n{text}"
    return json.loads(text[start:end + 1])


def check_prediction(model, flavor, body):
    if flavor == "original":
        outputs = body
    else:
        outputs = body["outputs"]
    if model == "half_plus_two":
        y = outputs if isinstance(outputs, list) else outputs["y"]
        assert y == [[2.5]]
    elif model == "iris_mlp":
        assert outputs["class_name"] == ["setosa"]
        assert outputs["class_id"] == [0]
        assert outputs["probabilities"][0] == pytest.approx([0.997405, 0.0024723, 0.00012309], abs=2e-6)
    else:
        probs = outputs["probabilities"][0]
        assert probs == pytest.approx([1 / 3, 1 / 3, 1 / 3], abs=1e-5)
        assert outputs["class_name"][0] in ("red", "green", "blue")
        assert outputs["class_id"][0] == ["red", "green", "blue"].index(outputs["class_name"][0])


LANGUAGES = ["curl", "python", "go", "javascript", "java", "cpp", "rust", "php", "ruby", "csharp"]
CASES = [(lang, model, "tfserving") for lang in LANGUAGES for model in MODELS] + \
        [(lang, "half_plus_two", "original") for lang in LANGUAGES]


@pytest.mark.parametrize("language,model,flavor", CASES,
                         ids=[f"{l}-{m}-{f}" for l, m, f in CASES])
def test_generated_client_prints_the_prediction(server, tmp_path_factory, language, model, flavor):
    params = {"language": language, "flavor": flavor}
    if model == "iris_mlp":
        params["version"] = "1"  # exercises /versions/<v> in the generated URL
    r = requests.get(f"{server.url}/v1/models/{model}/gen_client", params=params, timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "attachment; filename=" in r.headers["Content-Disposition"]
    code = r.text
    expected_url = f"{server.url}/" if flavor == "original" else f"{server.url}/v1/models/{model}"
    assert expected_url in code

    workdir = str(tmp_path_factory.mktemp(f"{language}_{model}_{flavor}"))
    command, why = runner(language, workdir, code)
    if command is None:
        pytest.skip(why)
    proc = subprocess.run(["sh", "-c", command], cwd=workdir, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, f"{proc.stdout}\n{proc.stderr}\n--- program ---\n{code}"
    check_prediction(model, flavor, parse_json_output(proc.stdout))
