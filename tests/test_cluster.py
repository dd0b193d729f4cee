"""The batch on a Dask cluster (issue 19): every output file byte-identical to
a ``--jobs 2`` run of the same inputs, on ``--dask local:2`` and on a
scheduler's address with a worker killed midway; the local limits hold on
the workers."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import pytest
from distributed import Client, LocalCluster, WorkerPlugin
from typer.testing import CliRunner

from extractor import cluster
from extractor.cli import app
from extractor.cluster import _LOCAL_CONFIG, ClusterError, parse_address
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
