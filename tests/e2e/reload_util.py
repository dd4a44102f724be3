"""Helpers shared by the hot-reload and config-reload e2e tests."""
import os
import shutil
import time

import requests

HALF_PLUS_TWO = "tfserving/saved_model_half_plus_two_cpu/00000123"
ZERO_OUT = "stfs/custom_op_zero_out_model/1"


def copy_version(models_dir, base, version, src=HALF_PLUS_TWO):
    """Copies a SavedModel to a temporary (non-numeric) name, then renames it
    to base/<version> so the server never sees a partial directory."""
    tmp = os.path.join(base, f".tmp-{version}")
    shutil.copytree(os.path.join(models_dir, src), tmp)
    os.rename(tmp, os.path.join(base, str(version)))


def version_states(url, model):
    """{version: (state, error_message)} from TF Serving's status API."""
    r = requests.get(f"{url}/v1/models/{model}", timeout=10)
    if r.status_code != 200:
        return {}
    return {int(v["version"]): (v["state"], v.get("status", {}).get("error_message", ""))
            for v in r.json()["model_version_status"]}


def available(url, model):
    return {v for v, (state, _) in version_states(url, model).items() if state == "AVAILABLE"}


def wait_for(fn, timeout=30.0, interval=0.1):
    end = time.time() + timeout
    while time.time() < end:
        value = fn()
        if value:
            return value
        time.sleep(interval)
    return fn()


def predict(url, model, version=None, label=None):
    path = f"{url}/v1/models/{model}"
    if version is not None:
        path += f"/versions/{version}"
    if label is not None:
        path += f"/labels/{label}"
    return requests.post(path + ":predict", json={"instances": [[1.0], [2.0]]}, timeout=30)


def write_warmup_tool(server_binary):
    """build/<dir>/tools/write_warmup beside build/<dir>/src/server/<binary>."""
    build = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(server_binary))))
    tool = os.path.join(build, "tools", "write_warmup")
    assert os.access(tool, os.X_OK), f"write_warmup not built: {tool} (ninja write_warmup)"
    return tool


PREDICT_LOG = ('predict_log { request { model_spec { name: "m" } inputs { key: "x" value { '
               'dtype: DT_FLOAT tensor_shape { dim { size: 2 } dim { size: 1 } } '
               'float_val: 1 float_val: 2 } } } }')
