"""Hot reload of versions under steady load: 20 versions are copied into the
watched base path one after another (copy + rename), old ones deleted, and one
version is written in place slowly. No request may fail, every version that
answered must have been AVAILABLE then, and the end state is exact."""
import os
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from reload_util import HALF_PLUS_TWO, available, copy_version, version_states, wait_for


class Load:
    """Steady, bounded request load: predicts (must all succeed) and metadata
    lookups (which name the version that served), plus a status monitor."""

    def __init__(self, url, model, workers=3):
        self.url, self.model = url, model
        self.stop = threading.Event()
        self.failures = []
        self.served = []    # (t_start, t_end, version)
        self.samples = []   # (t_start, t_end, {available versions})
        self.count = 0
        self.pool = ThreadPoolExecutor(workers + 1)
        self.futures = [self.pool.submit(self._work) for _ in range(workers)]
        self.futures.append(self.pool.submit(self._monitor))

    def _work(self):
        session = requests.Session()
        while not self.stop.is_set():
            try:
                r = session.post(f"{self.url}/v1/models/{self.model}:predict",
                                 json={"instances": [[1.0], [2.0]]}, timeout=30)
                if r.status_code != 200 or r.json() != {"predictions": [[2.5], [3.0]]}:
                    self.failures.append(("predict", r.status_code, r.text[:300]))
                t0 = time.time()
                m = session.get(f"{self.url}/v1/models/{self.model}/metadata", timeout=30)
                t1 = time.time()
                if m.status_code != 200:
                    self.failures.append(("metadata", m.status_code, m.text[:300]))
                else:
                    self.served.append((t0, t1, int(m.json()["model_spec"]["version"])))
                self.count += 1
            except Exception as e:  # noqa: BLE001 - any error is a failure
                self.failures.append(("exception", repr(e)))

    def _monitor(self):
        while not self.stop.is_set():
            t0 = time.time()
            avail = available(self.url, self.model)
            self.samples.append((t0, time.time(), avail))
            time.sleep(0.05)

    def finish(self):
        self.stop.set()
        for f in self.futures:
            f.result(timeout=60)
        self.pool.shutdown()

    def check_served_versions(self):
        """A version may answer only after it was seen AVAILABLE (within a
        second of slack for the monitor's sampling) and not after a status
        sample that ended before the request began showed it gone."""
        first_seen, gone = {}, {}
        for s0, s1, avail in self.samples:
            for v in avail:
                first_seen.setdefault(v, s0)
            for v in list(first_seen):
                if v not in avail and v not in gone:
                    gone[v] = s1
        bad = []
        for t0, t1, v in self.served:
            if v not in first_seen or first_seen[v] > t1 + 1.0:
                bad.append((v, "never seen AVAILABLE before it served"))
            elif v in gone and gone[v] < t0:
                bad.append((v, "served after it was unloaded"))
        assert not bad, bad[:10]


def test_twenty_versions_under_load(start_server, models_dir, tmp_path):
    base = tmp_path / "m"
    base.mkdir()
    copy_version(models_dir, str(base), 1)
    s = start_server(["--model_name=m", f"--model_base_path={base}",
                      "--file_system_poll_wait_seconds=1"])
    assert available(s.url, "m") == {1}
    load = Load(s.url, "m")
    try:
        for v in range(2, 21):
            copy_version(models_dir, str(base), v)
            assert wait_for(lambda: v in available(s.url, "m"), timeout=30), (
                v, version_states(s.url, "m"), s.log()[-3000:])
            # The previous version goes away once the new one serves.
            assert wait_for(lambda: available(s.url, "m") == {v}, timeout=30)
            if v >= 3:
                shutil.rmtree(base / str(v - 2))

        # A version written in place, slowly: never loaded half-written.
        src = os.path.join(models_dir, HALF_PLUS_TWO)
        target = base / "21"
        target.mkdir()
        time.sleep(0.4)
        for root, dirs, files in os.walk(src):
            rel = os.path.relpath(root, src)
            (target / rel).mkdir(parents=True, exist_ok=True)
            for name in sorted(files, key=lambda n: n == "saved_model.pb"):
                data = open(os.path.join(root, name), "rb").read()
                with open(target / rel / name, "wb") as out:
                    half = len(data) // 2
                    out.write(data[:half])
                    out.flush()
                    time.sleep(0.4)
                    states = version_states(s.url, "m")
                    assert states.get(21, ("START", ""))[0] == "START", states
                    out.write(data[half:])
                time.sleep(0.4)
        assert wait_for(lambda: available(s.url, "m") == {21}, timeout=30), version_states(s.url, "m")
        time.sleep(1.0)
    finally:
        load.finish()
    assert not load.failures, load.failures[:10]
    assert load.count > 50
    load.check_served_versions()
    served = {v for _, _, v in load.served}
    assert {20, 21} <= served, sorted(served)
    assert "version 21 failed" not in s.log()
    # Exactly the versions left on disk: 19 (unloaded, END), 20 (END), 21.
    shutil.rmtree(base / "19")
    assert wait_for(lambda: sorted(version_states(s.url, "m")) == [20, 21], timeout=10), \
        version_states(s.url, "m")
    states = version_states(s.url, "m")
    assert states[21][0] == "AVAILABLE" and states[20][0] == "END", states
    shutil.rmtree(base / "20")
    assert wait_for(lambda: list(version_states(s.url, "m")) == [21], timeout=10)
