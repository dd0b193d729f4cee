"""Processes of a batch (issue 15): memory caps, dead workers charged to the
right file, workers that die with the run, and one run per output folder."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor import workers as worker_pools
from extractor.cli import app
from extractor.limits import Limits
from extractor.processes import LOCK_FILE, FolderInUse, FolderLock
from extractor.tasks import Outcome, Task
from extractor.workers import LocalWorkers
from tests.conftest import FIXTURES, ROOT, SEED

runner = CliRunner()
CLEAN = FIXTURES / "clean-minimal.txt"


def _rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _folder(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    text = CLEAN.read_text(encoding="utf-8")
    for n in range(count):
        (folder / f"doc-{n:02d}.txt").write_text(text.replace("2021", f"{2000 + n}"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_document_over_the_memory_limit_fails_with_stage_memory_and_the_batch_goes_on(
    tmp_path: Path, jobs: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-big.txt").write_text(SEED.read_text(encoding="utf-8") * 7, encoding="utf-8")  # 0.8 MB
    (folder / "b-clean.txt").write_bytes(CLEAN.read_bytes())
    out = tmp_path / "out"
    limits = ["--max-size", "1", "--max-memory", "30"]  # the reader's buffer is --max-size
    result = runner.invoke(app, [str(folder), "-o", str(out), "--jobs", jobs, *limits, "-q"])
    assert result.exit_code == 1
    assert "a-big.txt: needs more than 30 MB of memory (raise --max-memory" in result.output
    assert "Traceback" not in result.output and "Exception ignored" not in result.output
    assert [(row["file"], row["stage"]) for row in _rows(out / "failures.csv")] == [("a-big.txt", "memory")]
    assert [row["status"] for row in _rows(out / "documents.csv")] == ["failed", "ok"]
    assert "1 failed (1 memory)" in result.output


def test_a_single_file_over_the_memory_limit_is_one_line_and_the_run_goes_on(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(SEED.read_text(encoding="utf-8") * 7, encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(  # extracted in the run's own process: capped only while it extracts
        [sys.executable, "-m", "extractor", str(big), "-o", str(out), "--max-size", "1", "--max-memory", "30", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"extract: error: {big}: needs more than 30 MB of memory")
    assert "Traceback" not in result.stderr
    # the cap was lifted after the document: the run wrote its CSV set
    assert [row["stage"] for row in _rows(out / "failures.csv")] == ["memory"]


def _task(file: Path, out: Path) -> Task:
    return Task(file, file.name, "", file.stem, out, Limits(), 2)


def test_a_worker_killed_on_one_file_charges_only_that_file(tmp_path: Path) -> None:
    # issue 15: a file whose own worker was never touched was recorded as
    # "the worker process died twice on this file"
    folder = _folder(tmp_path, 8)
    out = tmp_path / "out"
    out.mkdir()
    files = sorted(folder.iterdir())
    killer = 3
    stop = threading.Event()
    with LocalWorkers(2) as workers:

        def kill_the_killer() -> None:  # the file that kills every worker that runs it
            while not stop.is_set():
                for pool in list(workers.pools.values()):
                    for slot, seq in enumerate(pool.running[:]):
                        if seq == killer:
                            with contextlib.suppress(ProcessLookupError):  # dead already, its slot not yet cleared
                                os.kill(pool.pids[slot], signal.SIGKILL)
                time.sleep(0.001)

        watcher = threading.Thread(target=kill_the_killer)
        watcher.start()
        try:
            for file in files:
                workers.add(_task(file, out), None)
            outcomes: list[Outcome] = [workers.take() for _ in files]
        finally:
            stop.set()
            watcher.join()
    failed = [(o.file.name, o.stage) for o in outcomes if not o.ok]
    assert failed == [("doc-03.txt", "worker")]
    assert "died on this file twice, the second time running it alone" in (outcomes[killer].reason or "")
    assert [o.file.name for o in outcomes] == [f.name for f in files]


def _session(pid: int) -> list[int]:
    """Processes of the session ``pid`` leads (the run and every child it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != pid:
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_kill_9_of_the_parent_leaves_no_process_behind(tmp_path: Path) -> None:
    # issue 15: four child processes stayed alive for minutes, holding the caller's pipes
    folder = _folder(tmp_path, 30)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "extractor", str(folder), "-o", str(out), "--jobs", "2", "-q"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(_session(process.pid)) < 3 and time.monotonic() < deadline:  # fork server and two workers
        time.sleep(0.02)
    assert len(_session(process.pid)) >= 3
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(1)
    left = _session(process.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_a_second_run_into_a_folder_in_use_is_refused_naming_the_holder(tmp_path: Path) -> None:
    # issue 15: two runs into one folder deleted each other's temporary files
    out = tmp_path / "out"
    holder = FolderLock(out)
    assert holder.acquire() is None
    temporary = out / ".documents.csv.tmp"
    temporary.write_text("the other run's\n", encoding="utf-8")
    result = runner.invoke(app, [str(CLEAN), "-o", str(out), "--resume", "-q"])
    assert result.exit_code == 2
    assert f"extract: error: {out}: in use by another run (pid {os.getpid()} on {socket.gethostname()}" in (
        result.output
    )
    assert temporary.read_text(encoding="utf-8") == "the other run's\n"
    assert not list(out.glob("*.json"))
    with pytest.raises(FolderInUse):
        FolderLock(out).acquire()
    holder.release()
    assert not (out / LOCK_FILE).exists()


def test_a_stale_lock_of_a_dead_run_is_taken_over_with_a_note(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    holder = {"pid": dead.pid, "host": socket.gethostname(), "started": "2025-01-01T00:00:00+00:00"}
    (out / LOCK_FILE).write_text(json.dumps(holder), encoding="utf-8")
    result = runner.invoke(app, [str(CLEAN), "-o", str(out), "--resume", "-q"])
    assert result.exit_code == 0, result.output
    assert f"took over the lock of run pid {dead.pid} (started 2025-01-01T00:00:00+00:00)" in result.output
    assert len(list(out.glob("clean-minimal-*.json"))) == 1
    assert not (out / LOCK_FILE).exists()


def _run(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "extractor", *args, "-q"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert path.exists(), "the run did not take the lock"


def test_two_runs_into_one_folder_at_once_the_second_is_refused_and_the_first_completes(tmp_path: Path) -> None:
    # issue 15: two runs at once deleted each other's temporary files; one died with a traceback
    folder = _folder(tmp_path, 20)
    out = tmp_path / "out"
    first = _run(str(folder), "-o", str(out), "--jobs", "2")
    _wait_for(out / LOCK_FILE, first)
    second = _run(str(folder), "-o", str(out), "--jobs", "2", "--resume")
    assert second.wait(timeout=60) == 2
    assert second.stderr is not None
    refusal = second.stderr.read().decode("utf-8")
    assert refusal.startswith(f"extract: error: {out}: in use by another run (pid {first.pid} on ")
    assert "Traceback" not in refusal
    assert first.wait(timeout=120) == 0
    assert len(_rows(out / "documents.csv")) == 20 and len(list(out.glob("doc-*.json"))) == 20
    assert not list(out.glob(".*.tmp")) and not (out / LOCK_FILE).exists()


def test_an_interrupted_run_releases_its_lock(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 20)
    out = tmp_path / "out"
    process = _run(str(folder), "-o", str(out), "--jobs", "2")
    _wait_for(out / ".manifest.jsonl", process)
    os.kill(process.pid, signal.SIGINT)
    assert process.wait(timeout=30) == 130
    assert not (out / LOCK_FILE).exists()
    resumed = _run(str(folder), "-o", str(out), "--jobs", "2", "--resume")
    assert resumed.wait(timeout=120) == 0
    assert resumed.stderr is not None and b"took over" not in resumed.stderr.read()


def test_a_worker_stuck_past_its_timeout_is_killed_and_only_its_file_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 15: a worker stuck where its own timer cannot fire (a FIFO, a library
    # starved of memory) held the batch forever, whatever --timeout said
    monkeypatch.setattr(worker_pools, "OVERDUE_GRACE_SECONDS", 0.5)
    folder = _folder(tmp_path, 4)
    out = tmp_path / "out"
    out.mkdir()
    files = sorted(folder.iterdir())
    stuck = 1
    limits = Limits(timeout_seconds=1)
    with LocalWorkers(2) as workers:
        for file in files:
            workers.add(Task(file, file.name, "", file.stem, out, limits, 2), None)
        pool = workers.pools[False]
        deadline = time.monotonic() + 30
        while stuck not in pool.running[:] and time.monotonic() < deadline:
            time.sleep(0.001)
        os.kill(pool.pids[list(pool.running[:]).index(stuck)], signal.SIGSTOP)  # a timer that never fires
        started = time.monotonic()
        outcomes = [workers.take() for _ in files]
    assert time.monotonic() - started < 10
    assert [(o.file.name, o.stage) for o in outcomes if not o.ok] == [("doc-01.txt", "timeout")]
    assert outcomes[stuck].reason == (
        "took longer than 1 s, and the worker did not stop: killed (raise --timeout if the file is genuine)"
    )
