"""Fixtures that run the real simple_tensorflow_serving binary on 127.0.0.1.

Every server a test starts is stopped (SIGTERM, then SIGKILL after a grace
period) when the test (or module) ends.
"""
import os
import re
import signal
import subprocess
import threading
import time

import pytest
import requests

LISTEN_RE = re.compile(r"listening on (https?)://[^ ]*:(\d+)")


def pytest_addoption(parser):
    parser.addoption("--server-binary", required=True, help="path to simple_tensorflow_serving")
    parser.addoption("--models-dir", required=True, help="shared/models directory")
    parser.addoption("--update-known-failing", action="store_true",
                     help="rewrite known_failing_cases.txt with the cases that fail now")


@pytest.fixture(scope="session")
def server_binary(request):
    path = request.config.getoption("--server-binary")
    assert os.access(path, os.X_OK), f"server binary not found: {path}"
    return path


@pytest.fixture(scope="session")
def models_dir(request):
    return request.config.getoption("--models-dir")


class ServerProcess:
    """One running server; .url is its base URL."""

    def __init__(self, binary, args, env=None, startup_timeout=600):
        self.args = [binary, "--host=127.0.0.1", "--port=0"] + list(args)
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("STFS_")}
        full_env.update(env or {})
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=full_env, text=True)
        self.stdout_lines = []
        self.stderr_lines = []
        self._ready = threading.Event()
        self.url = None
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.stdout_lines, True),
                         daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.stderr_lines, False),
                         daemon=True).start()
        if not self._ready.wait(startup_timeout) or self.url is None:
            self.stop()
            raise RuntimeError("server did not start: " + self.log())

    def _pump(self, stream, sink, watch):
        for line in stream:
            sink.append(line)
            m = LISTEN_RE.search(line) if watch else None
            if m:
                self.url = f"{m.group(1)}://127.0.0.1:{m.group(2)}"
                self._ready.set()
        self._ready.set()  # process ended: unblock the waiter

    def log(self):
        return "".join(self.stdout_lines) + "".join(self.stderr_lines)

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@pytest.fixture
def start_server(server_binary):
    """start_server(args, env=None) -> ServerProcess; stopped after the test."""
    started = []

    def start(args, env=None, **kw):
        s = ServerProcess(server_binary, args, env, **kw)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def run_binary(binary, args, env=None, timeout=60):
    """Runs the binary to completion (for flag errors, --help, subcommands)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("STFS_")}
    full_env.update(env or {})
    return subprocess.run([binary] + list(args), capture_output=True, text=True, env=full_env,
                          timeout=timeout)


def get_json(url, **kw):
    r = requests.get(url, timeout=30, **kw)
    return r.status_code, r.json()


def wait_until(fn, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if fn():
            return True
        time.sleep(0.05)
    return False
