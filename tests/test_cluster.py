"""The batch on a Dask cluster (issue 19): every output file byte-identical to
a ``--jobs 2`` run of the same inputs, on ``--dask local:2`` and on a
scheduler's address with a worker killed midway, with a file stuck past
``--timeout``, with a file that kills every process that takes it, and
resumed; the local limits hold on the workers."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dask
import pytest
from distributed import Client, LocalCluster, WorkerPlugin
from typer.testing import CliRunner

from extractor import cluster, workers
from extractor.cli import app
from extractor.cluster import _LOCAL_CONFIG, ClusterError, parse_address
from extractor.tasks import Outcome, Task
from extractor.workers import Job, Pool
from tests.conftest import FIXTURES, SEED

runner = CliRunner()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Text, Word and PDF, a duplicate and a file that is no disclosure."""
    folder = tmp_path_factory.mktemp("cluster") / "in"
    (folder / "copy").mkdir(parents=True)
    for name in ("clean-minimal.txt", SEED.name, SEED.with_suffix(".docx").name, SEED.with_suffix(".pdf").name):
        shutil.copy(FIXTURES / name, folder / name)
    shutil.copy(FIXTURES / "clean-minimal.txt", folder / "copy" / "clean-minimal.txt")
    (folder / "notes.txt").write_text("会议纪要\n今天天气很好。\n", encoding="utf-8")
    return folder


def _run(inputs: Path, out: Path, *options: str) -> None:
    result = runner.invoke(app, [str(inputs), "-o", str(out), "--parquet", str(out / "parquet"), "-q", *options])
    assert result.exit_code == 1, result.output  # notes.txt fails, the rest succeed
    assert "4 ok" in result.output and "1 failed" in result.output


@pytest.fixture(scope="module")
def local_run(inputs: Path) -> Path:
    out = inputs.parent / "jobs-2"
    _run(inputs, out, "--jobs", "2")
    return out


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A cluster of two worker processes, configured as ``local:N`` configures its own."""
    with (
        dask.config.set(_LOCAL_CONFIG),
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
    ):
        yield cluster.scheduler_address


def _files(out: Path) -> dict[str, bytes]:
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def assert_same_outputs(cluster_out: Path, local_out: Path) -> None:
    expected = _files(local_out)
    produced = _files(cluster_out)
    assert sorted(produced) == sorted(expected)
    assert {"documents.csv", ".manifest.jsonl", "parquet/indicators.parquet"} <= set(expected)
    for name, content in expected.items():
        assert produced[name] == content, name


def test_a_local_cluster_writes_the_bytes_a_local_run_writes(inputs: Path, local_run: Path) -> None:
    out = inputs.parent / "local-2"
    _run(inputs, out, "--dask", "local:2")
    assert_same_outputs(out, local_run)
    with (out / "failures.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [(row["file"], row["stage"]) for row in csv.DictReader(handle)] == [("notes.txt", "segment")]


class KillOnce(WorkerPlugin):
    """Ends the first worker process to start a task of the run (once over
    the cluster: the marker file says which pid was killed)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def transition(self, key: Any, start: Any, finish: Any, **kwargs: Any) -> None:
        if finish != "executing":
            return
        try:
            descriptor = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.write(descriptor, str(os.getpid()).encode())
        os.close(descriptor)
        os._exit(1)


def test_a_worker_killed_midway_changes_no_output(inputs: Path, local_run: Path, scheduler: str) -> None:
    marker = inputs.parent / "killed"
    with Client(scheduler) as client:
        client.register_plugin(KillOnce(marker), name="kill-once")
        try:
            _run(inputs, inputs.parent / "killed-run", "--dask", scheduler)
        finally:
            client.unregister_worker_plugin("kill-once")
        killed = int(marker.read_text())
        assert killed not in client.run(os.getpid).values()  # that worker is gone, its files ran elsewhere
    assert_same_outputs(inputs.parent / "killed-run", local_run)


def test_the_memory_limit_holds_on_the_workers(inputs: Path, scheduler: str) -> None:
    out = inputs.parent / "memory"
    result = runner.invoke(
        app, [str(inputs / SEED.with_suffix(".pdf").name), "-o", str(out), "--dask", scheduler, "--max-memory", "30"]
    )
    assert result.exit_code == 1, result.output
    with (out / "failures.csv").open(encoding="utf-8-sig", newline="") as handle:
        (failure,) = csv.DictReader(handle)
    assert (failure["stage"], failure["reason"]) == (
        "memory",
        "needs more than 30 MB of memory (raise --max-memory if the file is genuine)",
    )


def test_addresses() -> None:
    assert parse_address("local:2") == 2
    assert parse_address("tcp://scheduler:8786") == "tcp://scheduler:8786"
    with pytest.raises(ClusterError, match="local:N needs a number"):
        parse_address("local:two")


def test_an_unreachable_scheduler_is_one_line(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    result = runner.invoke(
        app, [str(inputs / "clean-minimal.txt"), "-o", str(inputs.parent / "none"), "--dask", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 2
    assert "--dask tcp://127.0.0.1:9: cannot reach the scheduler" in result.output


GRACE = 0.5  # OVERDUE_GRACE_SECONDS in these tests
TIMEOUT = "5"
STUCK_REASON = "took longer than 5 s, and the worker did not stop: killed (raise --timeout if the file is genuine)"
_SUBMIT = Pool.submit
_EXTRACT = cluster.extract_on_worker


def _texts(folder: Path, count: int) -> Path:
    """Text disclosures doc-00.txt… (quick: none comes near the 5 s --timeout)."""
    folder.mkdir(parents=True)
    text = (FIXTURES / "clean-minimal.txt").read_text(encoding="utf-8")
    for n in range(count):
        (folder / f"doc-{n:02d}.txt").write_text(text.replace("2021", f"{2000 + n}"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _texts(tmp_path_factory.mktemp("texts") / "in", 4)


def _signal_when_running(pool: Pool, seq: int, signum: int) -> None:
    """Send ``signum`` to the worker of ``pool`` once it runs task ``seq``."""
    deadline = time.monotonic() + 60
    while seq not in pool.running[:] and time.monotonic() < deadline:
        time.sleep(0.001)
    with contextlib.suppress(ValueError, ProcessLookupError):
        os.kill(pool.pids[list(pool.running[:]).index(seq)], signum)


def _signalling(name: str, signum: int) -> Callable[[Pool, Job], Future[Outcome]]:
    """`Pool.submit`, sending ``signum`` to the process extracting the file
    ``name`` each time one starts on it: SIGSTOP, a file stuck where its own
    timer cannot fire; SIGKILL, a file that kills every process that takes it
    (the hook of tests/test_processes.py, for a local run and on Dask workers)."""

    def submit(pool: Pool, job: Job) -> Future[Outcome]:
        future = _SUBMIT(pool, job)
        if job.task.file.name == name:
            threading.Thread(target=_signal_when_running, args=(pool, job.seq, signum), daemon=True).start()
        return future

    return submit


@dataclass(frozen=True)
class SignalOnWorker:
    """`extract_on_worker`, with `_signalling` installed in the Dask worker's process."""

    name: str
    signum: int

    def __call__(self, task: Task) -> Outcome:
        workers.OVERDUE_GRACE_SECONDS = GRACE
        Pool.submit = _signalling(self.name, self.signum)  # type: ignore[method-assign]
        return _EXTRACT(task)


@dataclass(frozen=True)
class KillWorker:
    """`extract_on_worker`, except that the file ``name`` ends the Dask worker's process."""

    name: str

    def __call__(self, task: Task) -> Outcome:
        if task.file.name == self.name:
            os._exit(1)
        return _EXTRACT(task)


def _run_texts(folder: Path, out: Path, *options: str) -> None:
    result = runner.invoke(app, [str(folder), "-o", str(out), "--timeout", TIMEOUT, "-q", *options])
    assert result.exit_code == 1, result.output
    assert f"{len(list(folder.iterdir())) - 1} ok" in result.output and "1 failed" in result.output


def _failures(out: Path) -> list[tuple[str, str, str]]:
    with (out / "failures.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [(row["file"], row["stage"], row["reason"]) for row in csv.DictReader(handle)]


def test_a_file_stuck_past_its_timeout_fails_as_in_a_local_run(
    texts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 19: on Dask a child stuck where its own timer cannot fire ran forever
    monkeypatch.setattr(workers, "OVERDUE_GRACE_SECONDS", GRACE)
    with monkeypatch.context() as local:
        local.setattr(Pool, "submit", _signalling("doc-01.txt", signal.SIGSTOP))
        _run_texts(texts, tmp_path / "jobs-2", "--jobs", "2", "--parquet", str(tmp_path / "jobs-2" / "parquet"))
    monkeypatch.setattr(cluster, "extract_on_worker", SignalOnWorker("doc-01.txt", signal.SIGSTOP))
    _run_texts(texts, tmp_path / "local-2", "--dask", "local:2", "--parquet", str(tmp_path / "local-2" / "parquet"))
    assert _failures(tmp_path / "local-2") == [("doc-01.txt", "timeout", STUCK_REASON)]
    assert_same_outputs(tmp_path / "local-2", tmp_path / "jobs-2")


def test_a_file_that_kills_every_child_taking_it_fails_as_in_a_local_run(
    texts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as local:
        local.setattr(Pool, "submit", _signalling("doc-02.txt", signal.SIGKILL))
        _run_texts(texts, tmp_path / "jobs-2", "--jobs", "2", "--parquet", str(tmp_path / "jobs-2" / "parquet"))
    monkeypatch.setattr(cluster, "extract_on_worker", SignalOnWorker("doc-02.txt", signal.SIGKILL))
    _run_texts(texts, tmp_path / "local-2", "--dask", "local:2", "--parquet", str(tmp_path / "local-2" / "parquet"))
    reason = "the worker process died on this file twice, the second time running it alone (killed by SIGKILL)"
    assert _failures(tmp_path / "local-2") == [("doc-02.txt", "worker", reason)]
    assert_same_outputs(tmp_path / "local-2", tmp_path / "jobs-2")


def test_a_file_that_kills_every_dask_worker_taking_it_fails_and_the_files_queued_with_it_do_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the second worker it kills fails it (allowed-failures 1); the nanny restarts
    # the workers.  Dask charges a lost worker's death to every task it holds: with
    # a file queued behind the one running (worker-saturation 1.1), a file queued
    # behind doc-03 on both workers it killed failed too (2 runs in 4)
    texts = _texts(tmp_path / "in", 20)
    with monkeypatch.context() as local:
        local.setattr(Pool, "submit", _signalling("doc-03.txt", signal.SIGKILL))
        _run_texts(texts, tmp_path / "jobs-2", "--jobs", "2")
    monkeypatch.setattr(cluster, "extract_on_worker", KillWorker("doc-03.txt"))
    _run_texts(texts, tmp_path / "local-2", "--dask", "local:2")
    assert _failures(tmp_path / "local-2") == [
        (
            "doc-03.txt",
            "worker",
            "the worker process died on this file twice, the second time running it alone (crashed or killed)",
        )
    ]
    expected = _files(tmp_path / "jobs-2")
    produced = _files(tmp_path / "local-2")
    assert sorted(produced) == sorted(expected)
    # the same but for how the worker died, which Dask does not say (nor, on
    # a busy machine, does the local pool always learn it)
    for name, content in expected.items():
        said = produced[name].replace(b"crashed or killed", b"killed by SIGKILL")
        assert said == content.replace(b"crashed or killed", b"killed by SIGKILL"), name


def test_a_resumed_cluster_run_skips_done_files_and_writes_what_a_resumed_local_run_writes(
    inputs: Path, local_run: Path, tmp_path: Path
) -> None:
    resumed_local = tmp_path / "jobs-2"
    shutil.copytree(local_run, resumed_local)
    _run(inputs, resumed_local, "--jobs", "2", "--resume")
    out = tmp_path / "local-2"
    _run(inputs, out, "--dask", "local:2")
    written = {path.name: path.stat().st_mtime_ns for path in out.glob("*-*.json")}  # the documents
    assert len(written) == 4
    result = runner.invoke(
        app, [str(inputs), "-o", str(out), "--parquet", str(out / "parquet"), "--dask", "local:2", "--resume"]
    )
    assert result.exit_code == 1, result.output
    assert ", 4 resumed), 1 failed" in result.output, result.output
    assert {path.name: path.stat().st_mtime_ns for path in out.glob("*-*.json")} == written  # not extracted again
    assert_same_outputs(out, resumed_local)
