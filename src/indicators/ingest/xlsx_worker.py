"""Run XLSX reading in a fresh worker process with a memory cap, so one file cannot starve the server.

Parsing a sheet is CPU work under the GIL and may need hundreds of megabytes: in the Streamlit process it
would stall every other session and keep the memory afterwards. Each read uses a fresh interpreter
(`python -m indicators.ingest.xlsx_worker`: no fork of a threaded server, nothing inherited from its main
module), which caps its own address space (`RLIMIT_AS`: `INDICATORS_READER_MEMORY_MB` above what it
starts with) before it reads the request. The table comes back through the child's stdout as an Arrow IPC
stream (read batch by batch: the caller holds the table once, not a copy of its bytes too), framed by two
small pickled messages. When the child runs out of its allowance — a MemoryError in Python, or an
allocation failure that aborts the Rust reader — the caller gets `needs_more_memory`, never a traceback;
the child's memory goes back to the system when it exits. An interpreter starts in a fraction of a second
(see `make bench`); a process that reads more than once keeps one spare worker started ahead. At most
`CONCURRENT_READS` workers run at once per server process.
"""

from __future__ import annotations

import atexit
import dataclasses
import pickle
import resource
import struct
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from indicators.i18n import pair
from indicators.ingest.limits import Limits
from indicators.ingest.xlsx import ReadError, SheetTable, read_sheet

#: The worker's peak resident memory (MB) of the last read in this process (for the benchmarks).
LAST_WORKER_PEAK_MB = float("nan")
_LENGTH = struct.Struct("<Q")


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _work(data: bytes, sheet: str | None, limits: Limits, grid: bool = False) -> tuple[str, Any]:
    try:
        return "ok", read_sheet(data, sheet, limits, grid=grid)
    except ReadError as exc:
        return "error", exc.issue
    except MemoryError:
        return "memory", None
    except BaseException as exc:  # noqa: BLE001 — a Rust panic (PanicException) included: the file is damaged
        return "damaged", str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _send(stream: IO[bytes], message: object) -> None:
    body = pickle.dumps(message, protocol=5)
    stream.write(_LENGTH.pack(len(body)) + body)


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError("the worker ended early")
    size = _LENGTH.unpack(head)[0]
    body = stream.read(size)
    if len(body) < size:
        raise EOFError("the worker ended early")
    return pickle.loads(body)


def child_main() -> None:
    """The worker: ([(data, sheet), …], limits, grid) pickled on stdin; on stdout, for each workbook in
    turn: (kind, payload), then the cells as an Arrow stream when kind is "ok"; last, the peak resident
    memory (MB). Everything is imported before the request is read, so a spare worker waits warm. A batch
    (the communes' forms of one reporting round) shares one worker and its one memory allowance."""
    import python_calamine  # noqa: F401

    try:
        items, limits, grid = pickle.load(sys.stdin.buffer)
    except EOFError:  # a spare that was never used: its parent exited
        return
    allowance = int((_status_mb("VmSize") + limits.memory_mb) * (1 << 20))
    resource.setrlimit(resource.RLIMIT_AS, (allowance, allowance))
    out = sys.stdout.buffer
    while items:
        data, sheet = items.pop(0)
        kind, payload = _work(data, sheet, limits, grid)
        del data
        try:
            if kind == "ok":
                _send(out, (kind, dataclasses.replace(payload, cells=pa.table({}))))
                with pa.ipc.new_stream(out, payload.cells.schema) as writer:
                    writer.write_table(payload.cells, max_chunksize=1 << 16)
            else:
                _send(out, (kind, payload))
        except MemoryError:
            _send(out, ("memory", None))
        del payload
    _send(out, _status_mb("VmHWM"))
    out.flush()


#: Workbooks read at the same time by one process (each worker may take INDICATORS_READER_MEMORY_MB);
#: further reads wait for a free slot.
CONCURRENT_READS = 2
_slots = threading.BoundedSemaphore(CONCURRENT_READS)
_spare: tuple[subprocess.Popen[bytes], IO[bytes]] | None = None
_reads = 0
_lock = threading.Lock()


def _start() -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    errors = tempfile.TemporaryFile()  # noqa: SIM115 — closed after the read; a file, not a pipe: a chatty child never blocks
    worker = subprocess.Popen([sys.executable, "-m", "indicators.ingest.xlsx_worker"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=errors)
    return worker, errors


@atexit.register
def _stop_spare() -> None:
    """The spare worker ends when its stdin closes (it was waiting for a request)."""
    global _spare
    with _lock:
        spare, _spare = _spare, None
    if spare is not None:
        worker, errors = spare
        for stream in (worker.stdin, worker.stdout):
            if stream is not None:
                stream.close()
        worker.wait()
        errors.close()


def _take_worker() -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    """A fresh worker for one read. From the second read on, a process keeps one spare worker warming up
    (interpreter and imports) while the current one reads: a server does not wait for the start."""
    global _spare, _reads
    with _lock:
        taken, _spare = _spare, None
        _reads += 1
        keep_spare = _reads >= 2
    if taken is None or taken[0].poll() is not None:
        taken = _start()
    if keep_spare:
        with _lock:
            if _spare is None:
                _spare = _start()
    return taken


def read_in_worker(data: bytes, sheet: str | None, limits: Limits, grid: bool = False) -> SheetTable:
    """`xlsx.read_sheet` in a capped child process; ReadError (only) when the file cannot be read."""
    result = read_many_in_worker([(data, sheet)], limits, grid)[0]
    if isinstance(result, ReadError):
        raise result
    return result


def read_many_in_worker(items: list[tuple[bytes, str | None]], limits: Limits,
                        grid: bool = False) -> list[SheetTable | ReadError]:
    """Several workbooks read in turn by one capped worker (a batch of small forms does not pay for a
    process each); one result per workbook, in order: its table, or the ReadError saying why not."""
    with _slots:
        return _read_in_worker(items, limits, grid)


def _read_in_worker(items: list[tuple[bytes, str | None]], limits: Limits,
                    grid: bool = False) -> list[SheetTable | ReadError]:
    global LAST_WORKER_PEAK_MB
    try:
        worker, errors = _take_worker()
    except OSError as exc:
        failed = ReadError("workbook_damaged", where=("", ""), reason=pair("reason_worker_start", error=exc))
        return [failed for _ in items]
    received: list[tuple[str, Any]] = []
    peak = float("nan")
    assert worker.stdin is not None and worker.stdout is not None
    try:
        try:
            pickle.dump((list(items), limits, grid), worker.stdin, protocol=5)
            worker.stdin.close()
        except BrokenPipeError:
            pass
        for _ in items:
            kind, payload = _receive(worker.stdout)
            if kind == "ok":
                payload.cells = pa.ipc.open_stream(worker.stdout).read_all()
            received.append((kind, payload))
        peak = _receive(worker.stdout)
    except (EOFError, OSError, pa.ArrowInvalid, pickle.UnpicklingError):
        pass
    finally:
        worker.stdout.close()
        worker.wait()
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
        errors.close()
    LAST_WORKER_PEAK_MB = peak
    results: list[SheetTable | ReadError] = []
    for kind, payload in received:
        if kind == "ok" and isinstance(payload, SheetTable):
            results.append(payload)
        elif kind == "error":
            results.append(_error(payload))
        elif kind == "damaged":
            results.append(ReadError("workbook_damaged", where=("", ""), reason=(str(payload), str(payload))))
        else:
            results.append(_memory_error(limits))
    if len(results) < len(items):  # the worker died on the next workbook
        if _out_of_memory(worker.returncode, stderr):
            died = _memory_error(limits)
        else:
            reason = (stderr.strip().splitlines() or [f"exit {worker.returncode}"])[-1][:200]
            died = ReadError("workbook_damaged", where=("", ""), reason=pair("reason_worker_stopped", reason=reason))
        results.append(died)
        if len(results) < len(items):  # the ones after it were not read: read them again, without it
            results.extend(_read_in_worker(items[len(results):], limits, grid))
    return results


def _memory_error(limits: Limits) -> ReadError:
    return ReadError("needs_more_memory", limit=f"{limits.memory_mb:,}", setting=Limits.setting("memory_mb"))


def _out_of_memory(returncode: int, stderr: str) -> bool:
    """A child killed (SIGKILL: the kernel's OOM killer) or aborted on a failed allocation."""
    stderr = stderr.lower()
    return returncode < 0 or "memory allocation" in stderr or "memoryerror" in stderr or "cannot allocate" in stderr


def _error(issue: Any) -> ReadError:
    error = ReadError.__new__(ReadError)
    Exception.__init__(error, issue.message_en)
    error.issue, error.code, error.row = issue, issue.code, issue.row
    error.message_vi, error.message_en = issue.message_vi, issue.message_en
    return error


if __name__ == "__main__":
    child_main()
