"""`mou sweep --output-format parquet|npz` holds the CSV's rows, and the Dask recipe gives the CSV's bytes
(issue 32; docs/analysts/partitions.md).

- a Parquet file (pyarrow, the `arrow` extra) and an `.npz` file (NumPy) read back as the CSV's rows, cell for
  cell, from the kernels, from the scalar engine and from worker processes;
- the same sweep writes the same bytes twice;
- neither goes to standard output, nor with --html;
- the documented recipe run on a Dask `LocalCluster` of 2 workers gives the bytes of `mou sweep` in one
  process (heavy: Python 3.11's run in CI, the `mou-ci` profile).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import ROOT, heavy, require_extra
from mou.cli import main

SCENARIO = str(ROOT / "scenarios" / "ix3-notice-valid.yaml")
VARY = ["--vary", "n1.received=2020-05-08..2020-07-14", "--vary", "interpretation.notice_runs_from=receipt,dispatch",
        "--vary", "parameters.IX.3.notice_period=3 months,6 months"]


def sweep(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["sweep", SCENARIO, *VARY, *args])
    return result.exit_code, result.stdout, result.stderr


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def as_csv(header: list[str], columns: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(*columns))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def expected() -> str:
    code, out, _ = sweep()
    assert code == 0 and out.count("\n") == 68 * 2 * 2 + 1
    return out


def read_npz(path: Path) -> str:
    with np.load(path, allow_pickle=False) as archive:
        names = [name for name in archive.files]
        return as_csv(names, [archive[name].tolist() for name in names])


@pytest.mark.parametrize("more", [(), ("--no-vector",), ("--jobs", "2")], ids=["kernels", "scalar", "workers"])
def test_npz_holds_the_csv_rows(tmp_path, expected, more):
    path = tmp_path / "rows.npz"
    code, _, err = sweep("--output-format", "npz", "-o", str(path), *more)
    assert code == 0, err
    assert read_npz(path) == expected


def test_the_same_sweep_writes_the_same_npz_bytes(tmp_path):
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    assert sweep("--output-format", "npz", "-o", str(first))[0] == 0
    assert sweep("--output-format", "npz", "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("more", [(), ("--no-vector",)], ids=["kernels", "scalar"])
def test_parquet_holds_the_csv_rows(tmp_path, expected, more):
    require_extra("pyarrow", "arrow")
    import pyarrow.parquet as pq

    path = tmp_path / "rows.parquet"
    code, _, err = sweep("--output-format", "parquet", "-o", str(path), *more)
    assert code == 0, err
    table = pq.read_table(path)
    assert as_csv(table.column_names, [table.column(name).to_pylist() for name in table.column_names]) == expected
    again = tmp_path / "again.parquet"
    assert sweep("--output-format", "parquet", "-o", str(again), *more)[0] == 0
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("fmt", ["parquet", "npz"])
def test_a_columnar_file_needs_o_and_no_html(tmp_path, fmt):
    code, out, err = sweep("--output-format", fmt)
    assert code == 2 and out == "" and "give it with -o FILE" in err
    code, _, err = sweep("--output-format", fmt, "-o", str(tmp_path / "x"), "--html", str(tmp_path / "x.html"))
    assert code == 2 and "--html plots the rows of a csv or jsonl sweep" in err


@pytest.mark.skipif(not heavy(), reason="heavy: Python 3.11's run in CI (the mou-ci profile) runs it")
def test_the_dask_recipe_on_a_local_cluster_gives_the_bytes_of_one_process(tmp_path):
    require_extra("distributed", "dask")
    import dask
    from distributed import Client, LocalCluster

    from mou.tools.sweep import SweepSpec
    from mou.tools.vector.partition import header, partitions, run_partition

    # docs/analysts/partitions.md's recipe, as written there
    spec = SweepSpec(SCENARIO, ("n1.received=2020-05-10..2077-05-01",
                                "interpretation.notice_runs_from=receipt,dispatch"))
    ranges = partitions(len(spec.build()))
    assert len(ranges) >= 2
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster):
        texts = dask.compute(*[dask.delayed(run_partition)(spec, a, b) for a, b in ranges])
    output = header(spec.build().columns) + "".join(texts)
    one = CliRunner().invoke(main, ["sweep", SCENARIO, "--vary", "n1.received=2020-05-10..2077-05-01",
                                    "--vary", "interpretation.notice_runs_from=receipt,dispatch"])
    assert one.exit_code == 0
    assert output.encode("utf-8") == one.stdout_bytes
