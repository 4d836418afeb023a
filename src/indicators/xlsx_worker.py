"""Run XLSX reading in a fresh worker process with a memory cap, so one file cannot starve the server.

Parsing a sheet is CPU work under the GIL and may need hundreds of megabytes: in the Streamlit process it
would stall every other session and keep the memory afterwards. Each read starts a fresh interpreter
(`python -m indicators.xlsx_worker`: no fork of a threaded server, nothing inherited from its main
module), which caps its own address space (`RLIMIT_AS`: `INDICATORS_READER_MEMORY_MB` above what it
starts with) before it reads a byte, and sends the table back through its stdout (pickled Arrow buffers).
When the child runs out of its allowance — a MemoryError in Python, or an allocation failure that aborts
the Rust reader — the caller gets `needs_more_memory`, never a traceback; the child's memory goes back to
the system when it exits. Starting an interpreter costs a fraction of a second (see `make bench`); a process
that reads more than once keeps one spare worker started ahead.
"""

from __future__ import annotations

import pickle
import resource
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from indicators.limits import Limits
from indicators.xlsx import ReadError, SheetTable, read_sheet

#: The worker's peak resident memory (MB) of the last read in this process (for the benchmarks).
LAST_WORKER_PEAK_MB = float("nan")


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _work(data: bytes, sheet: str | None, limits: Limits) -> tuple[str, Any]:
    try:
        return "ok", read_sheet(data, sheet, limits)
    except ReadError as exc:
        return "error", exc.issue
    except MemoryError:
        return "memory", None
    except BaseException as exc:  # noqa: BLE001 — a Rust panic (PanicException) included: the file is damaged
        return "damaged", str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def child_main() -> None:
    """The worker: (data, sheet, limits) pickled on stdin -> (kind, payload, peak MB) pickled on stdout.
    Everything is imported before the request is read, so a spare worker waits warm."""
    import python_calamine  # noqa: F401

    try:
        data, sheet, limits = pickle.load(sys.stdin.buffer)
    except EOFError:  # a spare that was never used: its parent exited
        return
    allowance = int((_status_mb("VmSize") + limits.memory_mb) * (1 << 20))
    resource.setrlimit(resource.RLIMIT_AS, (allowance, allowance))
    kind, payload = _work(data, sheet, limits)
    del data
    try:
        out = pickle.dumps((kind, payload, _status_mb("VmHWM")), protocol=5)
    except MemoryError:
        out = pickle.dumps(("memory", None, _status_mb("VmHWM")))
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()


def read_in_worker(data: bytes, sheet: str | None, limits: Limits) -> SheetTable:
    """`xlsx.read_sheet` in a capped child process; ReadError (only) when the file cannot be read."""
    global LAST_WORKER_PEAK_MB
    request = pickle.dumps((data, sheet, limits), protocol=5)
    try:
        worker = _take_worker()
        stdout, stderr = worker.communicate(request)
        done = subprocess.CompletedProcess(worker.args, worker.returncode, stdout, stderr)
    except OSError as exc:
        raise ReadError("workbook_damaged", where=("", ""),
                        reason=(f"không chạy được tiến trình đọc: {exc}", f"the reading process did not start: {exc}")) from None
    try:
        kind, payload, peak = pickle.loads(done.stdout) if done.stdout else ("died", None, float("nan"))
    except Exception:  # a child killed mid-write: treated as a child that died
        kind, payload, peak = "died", None, float("nan")
    LAST_WORKER_PEAK_MB = peak
    if kind == "ok" and isinstance(payload, SheetTable):
        return payload
    if kind == "error":
        raise _error(payload)
    if kind == "damaged":
        raise ReadError("workbook_damaged", where=("", ""), reason=(str(payload), str(payload)))
    if kind == "died" and not _out_of_memory(done):
        reason = (done.stderr.decode(errors="replace").strip().splitlines() or [f"exit {done.returncode}"])[-1][:200]
        raise ReadError("workbook_damaged", where=("", ""),
                        reason=(f"tiến trình đọc dừng bất thường: {reason}", f"the reading process stopped: {reason}"))
    raise ReadError("needs_more_memory", limit=f"{limits.memory_mb:,}", setting=Limits.setting("memory_mb"))


_spare: subprocess.Popen[bytes] | None = None
_reads = 0
_lock = threading.Lock()


def _start() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "indicators.xlsx_worker"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _take_worker() -> subprocess.Popen[bytes]:
    """A fresh worker for one read. From the second read on, a process keeps one spare worker warming up
    (interpreter and imports, ~0.3–1 s) while the current one reads: a server never waits for the start."""
    global _spare, _reads
    with _lock:
        worker, _spare = _spare, None
        _reads += 1
        keep_spare = _reads >= 2
    if worker is None or worker.poll() is not None:
        worker = _start()
    if keep_spare:
        with _lock:
            if _spare is None:
                _spare = _start()
    return worker


def _out_of_memory(done: subprocess.CompletedProcess[bytes]) -> bool:
    """A child killed (SIGKILL: the kernel's OOM killer) or aborted on a failed allocation."""
    stderr = done.stderr.decode(errors="replace").lower()
    return done.returncode < 0 or "memory allocation" in stderr or "memoryerror" in stderr


def _error(issue: Any) -> ReadError:
    error = ReadError.__new__(ReadError)
    Exception.__init__(error, issue.message_en)
    error.issue, error.code, error.row = issue, issue.code, issue.row
    error.message_vi, error.message_en = issue.message_vi, issue.message_en
    return error


if __name__ == "__main__":
    child_main()
