"""Reading and checking an import in a child process with a memory and a time limit, so that one file cannot slow
the public page: a 2.4 MB xlsx that unpacks to 616 MB once took the app's process to 2.6 GB and public lookups
to a minute.

:func:`call_in_child` runs one function (``"module:function"``, picklable keyword arguments) in a new Python
process that first limits its own address space (``RLIMIT_AS``), and kills it when it is not done in time. The
answer comes back through a pickle file (mode 0600) in a private temporary folder that is removed afterwards.
Storing stays in the caller, under the workspace lock (:mod:`buurtkaart.importers.run`).

A plain subprocess, as :mod:`buurtkaart.infoborden._stoppable`, not :mod:`multiprocessing`: in the app Streamlit's
``__main__`` is the page script, which ``spawn`` and ``forkserver`` would run again in the child, and ``fork``
would copy a process with threads. The child reads with a single BLAS thread and Arrow on the system allocator,
whose address space reservation (1 GB with mimalloc) would otherwise count against the limit.

Starting Python and loading geopandas takes seconds on a small server. A long-lived caller (the app, the test
suite) therefore keeps one child started ahead (:func:`keep_warm`): it loads the importers and waits for its
request; the limits and the clock start when the request comes, exactly as for a child started on the spot. A spare
whose environment differs from the caller's at the time of the call is not used; a spare ends by itself when its
caller does (its request pipe closes).

>>> ImportLimits(memory_mb=512, time_s=5).memory_bytes
536870912
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import math
import os
import pickle
import select
import signal
import subprocess
import sys
import tempfile
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from buurtkaart.errors import InputError
from buurtkaart.texts import t

#: Environment variables that change the defaults (the deployment's choice).
MEMORY_ENV = "BUURTKAART_IMPORT_MEMORY_MB"
TIME_ENV = "BUURTKAART_IMPORT_TIME_S"
DEFAULT_MEMORY_MB = 1536
DEFAULT_TIME_S = 120.0
#: Seconds the child may take to start (load its libraries) before the time limit of the work begins.
_START_S = 300.0
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
#: Set before the child imports numpy and pyarrow: one BLAS thread, no allocator that reserves a gigabyte.
_CHILD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "ARROW_DEFAULT_MEMORY_POOL": "system", "MALLOC_ARENA_MAX": "2"}
#: What a child loads before it waits for its request (a spare is ready with it).
_PRELOAD = "buurtkaart.importers.run"
_spare_lock = threading.Lock()
_spare: tuple[subprocess.Popen[bytes], dict[str, str]] | None = None
_warm = False


@dataclass(frozen=True)
class ImportLimits:
    """How much memory (address space, MiB) and time (seconds, from when the child has loaded its libraries) one
    import may take."""

    memory_mb: int = DEFAULT_MEMORY_MB
    time_s: float = DEFAULT_TIME_S

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_mb) * 1024 * 1024

    @classmethod
    def from_env(cls) -> ImportLimits:
        """The defaults, or ``BUURTKAART_IMPORT_MEMORY_MB`` / ``BUURTKAART_IMPORT_TIME_S`` where set."""
        values: dict[str, float] = {}
        for name, env, default in (("memory_mb", MEMORY_ENV, DEFAULT_MEMORY_MB), ("time_s", TIME_ENV, DEFAULT_TIME_S)):
            raw = os.environ.get(env, "").strip()
            try:
                values[name] = float(raw) if raw else default
            except ValueError:
                values[name] = -1.0
            if values[name] <= 0:
                raise InputError(t("import.limit_setting_bad", variable=env, value=raw))
        return cls(memory_mb=int(values["memory_mb"]), time_s=values["time_s"])


def call_in_child(target: str, kwargs: dict[str, Any], *, limits: ImportLimits | None = None) -> Any:
    """``target(**kwargs)`` (``"module:function"``) in a new Python process within ``limits`` (default
    :meth:`ImportLimits.from_env`); its return value, or the exception it raised, raised here.

    Warnings the child gives are given again here. Out of memory or out of time raise a Dutch
    :class:`~buurtkaart.errors.InputError`; the child is then gone (killed and reaped).
    """
    limits = limits or ImportLimits.from_env()
    with tempfile.TemporaryDirectory(prefix="buurtkaart-import-") as folder:  # mode 0700
        answer_path = Path(folder) / "answer.pickle"
        request = pickle.dumps((target, kwargs, limits.memory_bytes, limits.time_s, str(answer_path)),
                               protocol=pickle.HIGHEST_PROTOCOL)
        process = _take_child()
        try:
            _wait(process, request, limits)
        finally:
            if process.poll() is None:  # out of time, or the caller was interrupted: no child left behind
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        try:
            with answer_path.open("rb") as file:
                status, value, caught = pickle.load(file)  # our own child's answer
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            status, value, caught = "memory" if process.returncode else "failed", None, []
    for category, message, filename, lineno in caught:
        warnings.warn_explicit(message, category, filename, lineno)
    if status == "ok":
        return value
    if status == "memory":
        raise InputError(t("import.too_big", memory_mb=limits.memory_mb),
                         problems=[t("import.limit_fix", variable=MEMORY_ENV)])
    if status == "error":
        raise value
    raise InputError(t("import.child_failed"))


def keep_warm(enabled: bool = True) -> None:
    """Keep one child started ahead (``enabled``), or stop doing so and end the spare. For callers that import
    many files in one process: the app, the tests. A one-off command does not need it."""
    global _warm
    _warm = enabled
    if enabled:
        _ensure_spare()
    else:
        _end_spare()


def _child_env() -> dict[str, str]:
    return {**os.environ, **_CHILD_ENV,
            "PYTHONPATH": os.pathsep.join(p for p in (_PACKAGE_ROOT, os.environ.get("PYTHONPATH")) if p)}


def _start(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "from buurtkaart.importers._child import _child; _child()"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, start_new_session=True)


def _take_child() -> subprocess.Popen[bytes]:
    """The spare if it is alive and has the caller's environment, else a new child; then a new spare (if warm)."""
    global _spare
    env = _child_env()
    with _spare_lock:
        spare, _spare = _spare, None
    if spare is not None and spare[0].poll() is None and spare[1] == env:
        process = spare[0]
    else:
        if spare is not None:
            _end(spare[0])
        process = _start(env)
    if _warm:
        _ensure_spare()
    return process


def _ensure_spare() -> None:
    global _spare
    with _spare_lock:
        if _spare is None or _spare[0].poll() is not None:
            env = _child_env()
            _spare = (_start(env), env)


def _end_spare() -> None:
    global _spare
    with _spare_lock:
        spare, _spare = _spare, None
    if spare is not None:
        _end(spare[0])


def _end(process: subprocess.Popen[bytes]) -> None:
    """End a child that has no request: it holds nothing to lose, so it is killed and reaped."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


atexit.register(_end_spare)


def _wait(process: subprocess.Popen[bytes], request: bytes, limits: ImportLimits) -> None:
    """Hand ``request`` to ``process``, wait until it has started (its libraries loaded, which on a busy machine
    takes a while and says nothing about the file), then give it ``limits.time_s`` for the work itself."""
    assert process.stdin is not None and process.stdout is not None
    with process.stdin:
        process.stdin.write(request)
    ready, _, _ = select.select([process.stdout], [], [], max(_START_S, limits.time_s))
    if not ready or not process.stdout.read(1):  # not started in time, or ended before it started (no answer)
        if not ready:
            raise InputError(t("import.too_slow", seconds=f"{limits.time_s:g}"),
                             problems=[t("import.limit_fix", variable=TIME_ENV)])
        process.wait()
        return
    try:
        process.wait(timeout=limits.time_s)
    except subprocess.TimeoutExpired:
        raise InputError(t("import.too_slow", seconds=f"{limits.time_s:g}"),
                         problems=[t("import.limit_fix", variable=TIME_ENV)]) from None


def _child() -> None:
    """The child: the request on stdin; limits its memory (and, as a backstop, its CPU time), runs the target and
    writes ``(status, value, warnings)``."""
    import resource

    with contextlib.suppress(Exception):  # loaded before the request: a spare waits ready (errors show at the call)
        importlib.import_module(_PRELOAD)
    try:
        target, kwargs, memory_bytes, time_s, answer_path = pickle.load(sys.stdin.buffer)
    except EOFError:  # a spare that was never used: its caller ended or let it go
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    cpu_s = math.ceil(2 * time_s) + 5  # a backstop should the caller die without killing this child
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    os.write(1, b"1")  # started: the caller's clock runs from here
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # anything a library prints goes nowhere
    caught: list[tuple[type[Warning], str, str, int]] = []
    answer: tuple[str, Any]
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            module, _, name = target.partition(":")
            answer = "ok", getattr(importlib.import_module(module), name)(**kwargs)
        caught = [(w.category, str(w.message), w.filename, w.lineno) for w in seen]
    except MemoryError:
        answer = "memory", None
    except Exception as exc:  # raised again in the caller, as it would have been there
        answer = "error", exc
    try:
        data = pickle.dumps((*answer, caught), protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None, caught))
    except Exception as exc:  # an exception that does not pickle: its text
        data = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}"), caught))
    descriptor = os.open(answer_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
