"""Client of `curlab serve` (standard library only): a plain client for any trainer (TRL, OpenRLHF,
your own loop) and a verl curriculum sampler.

    client = CurlabClient("http://127.0.0.1:8470")
    batch = client.sample(64)                      # [{"index", "id", "prompt", "answer", ...}, ...]
    client.update([{"index": p["index"], "acc": [1, 0, 1, 1]} for p in batch], request_id="step-1")

Every call that changes the service's state carries a request id; the client retries a call whose
reply it did not get with the same id, so a retry is never counted twice. See docs/serve.md.
"""

import json
import os
import time
import urllib.error
import urllib.request
import uuid

__all__ = ["CurlabClient", "CurlabCurriculumSampler", "CurlabError"]


class CurlabError(RuntimeError):
    """A call the service refused (4xx/5xx, with its one-line reason) or could not be reached."""

    def __init__(self, status, reason):
        super().__init__(f"curlab serve: {status}: {reason}")
        self.status = status
        self.reason = reason


class CurlabClient:
    """The JSON API of `curlab serve`: sample, update, state, healthz."""

    def __init__(self, url, token=None, timeout=60.0, retries=5):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        last = None
        for attempt in range(self.retries):
            req = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as r:
                    return json.loads(r.read().decode("utf-8"))
            except urllib.error.HTTPError as e:
                try:
                    reason = json.loads(e.read().decode("utf-8")).get("error", e.reason)
                except ValueError:
                    reason = e.reason
                if e.code < 500 or e.code == 503:
                    raise CurlabError(e.code, reason) from None
                last = CurlabError(e.code, reason)
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                last = CurlabError(0, "cannot reach " + self.url + " (" + str(getattr(e, "reason", e)) + ")")
            time.sleep(min(2.0, 0.1 * 2 ** attempt))       # the same request id: a retry is never counted twice
        raise last

    def sample(self, n, request_id=None, candidates=None, with_text=True):
        """The next n problems the curator picks (over candidates, bank indices, when given)."""
        body = {"n": int(n), "request_id": request_id or uuid.uuid4().hex, "with_text": bool(with_text)}
        if candidates is not None:
            body["candidates"] = [int(i) for i in candidates]
        return self._call("POST", "/v1/sample", body)["problems"]

    def update(self, results, request_id=None):
        """Reports rollouts: results = [{"index": i, "acc": [0/1, ...], "reward": [...] (optional)}], one group size per call."""
        body = {"request_id": request_id or uuid.uuid4().hex, "results": [_result(r) for r in results]}
        return self._call("POST", "/v1/update", body)

    def update_groups(self, indices, accs, rewards=None, request_id=None):
        """Reports one rollout per entry (index, acc[, reward]), grouped by index; one call per group size."""
        groups = {}
        for k, i in enumerate(indices):
            g = groups.setdefault(int(i), ([], []))
            g[0].append(1 if float(accs[k]) > 0.5 else 0)
            if rewards is not None:
                g[1].append(float(rewards[k]))
        by_size = {}
        for i, (acc, rew) in groups.items():
            r = {"index": i, "acc": acc}
            if rewards is not None:
                r["reward"] = rew
            by_size.setdefault(len(acc), []).append(r)
        base = request_id or uuid.uuid4().hex
        return [self.update(rs, request_id=f"{base}/g{size}") for size, rs in sorted(by_size.items())]

    def state(self, table=True):
        return self._call("GET", "/v1/state" + ("" if table else "?table=false"))

    def healthz(self):
        return self._call("GET", "/healthz")


def _result(r):
    out = {"index": int(r["index"]), "acc": [int(a) for a in r["acc"]]}
    if r.get("reward") is not None:
        out["reward"] = [float(x) for x in r["reward"]]
    return out


def _field(batch, name):
    """batch[name] from a dict of columns or from a verl DataProto (non_tensor_batch, then batch)."""
    if isinstance(batch, dict):
        return batch[name]
    ntb = getattr(batch, "non_tensor_batch", None) or {}
    if name in ntb:
        return ntb[name]
    tb = getattr(batch, "batch", None)
    if tb is not None and name in tb.keys():
        return tb[name]
    raise KeyError(name)


try:                                                    # verl's interface when verl is installed, else a stand-in
    from verl.experimental.dataset.sampler import AbstractCurriculumSampler as _Base
except Exception:                                       # noqa: BLE001 - any import problem: stay dependency-free
    class _Base:
        pass


class CurlabCurriculumSampler(_Base):
    """verl's curriculum sampler shape: yields dataset indices the served curator picks, and reports
    each step's rollouts in update(batch) (per sample: an index field and a 0/1 `acc`).

    The dataset rows must be the served bank's problems in the same order (index i = row i).
    Settings come from data_config (verl's `data` section) or the environment:
    curlab_url / CURLAB_URL, curlab_token_file / CURLAB_TOKEN_FILE, curlab_index_key (default "index"),
    curlab_acc_key (default "acc"), curlab_draw (indices per sample call, default train_batch_size or 256).
    """

    def __init__(self, data_source, data_config=None, client=None):
        cfg = data_config if data_config is not None else {}
        get = cfg.get if hasattr(cfg, "get") else (lambda k, d=None: d)
        self.data_source = data_source
        if client is None:
            token = None
            token_file = get("curlab_token_file", None) or os.environ.get("CURLAB_TOKEN_FILE")
            if token_file:
                with open(token_file, encoding="utf-8") as f:
                    token = f.read().strip()
            client = CurlabClient(get("curlab_url", None) or os.environ.get("CURLAB_URL", "http://127.0.0.1:8470"), token=token)
        self.client = client
        self.index_key = get("curlab_index_key", "index")
        self.acc_key = get("curlab_acc_key", "acc")
        self.draw = int(get("curlab_draw", None) or get("train_batch_size", None) or 256)
        self.steps = 0

    def __len__(self):
        return len(self.data_source)

    def __iter__(self):
        # endless within an epoch of len(data_source) indices; each draw is one sample call
        served = 0
        while served < len(self):
            n = min(self.draw, len(self) - served)
            for p in self.client.sample(n, request_id=f"sampler-{uuid.uuid4().hex}", with_text=False):
                served += 1
                yield p["index"]

    def update(self, batch, step_num=None):
        """Reports the batch's rollouts grouped by index (GRPO: n rollouts of each prompt)."""
        self.steps += 1
        indices = [int(i) for i in _field(batch, self.index_key)]
        accs = [float(a) for a in _field(batch, self.acc_key)]
        return self.client.update_groups(indices, accs, request_id=f"sampler-update-{uuid.uuid4().hex}")
