"""The benchmark runs both pipelines in child processes and reports a speed-up."""
import argparse
import re
import subprocess

import pytest

from utils import bench


def test_bench_prints_both_pipelines_and_the_ratio(capsys):
    assert bench.main(["--train", "200", "--test", "100", "--epochs", "1", "--maxlen", "100", "--models", "lstm"]) == 0
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if line.startswith("lstm ")]
    assert [row.split()[1] for row in rows] == ["padded", "bucketed"]
    for row in rows:
        samples_per_second, seconds, memory, accuracy = map(float, row.split()[2:])
        assert samples_per_second > 0 and seconds > 0 and memory > 100 and 0 <= accuracy <= 1
    assert re.search(r"lstm: bucketed / padded throughput = \d+\.\d\dx, test accuracy [+-]\d+\.\d\d points", printed)


def test_a_failing_child_shows_its_error(monkeypatch):
    def failing_run(command, **kwargs):
        return subprocess.CompletedProcess(command, 1, stdout="", stderr="utils.data.DataNotFoundError: aclImdb missing")

    monkeypatch.setattr(bench.subprocess, "run", failing_run)
    args = argparse.Namespace(epochs=1, train=10, test=10, maxlen=20)
    with pytest.raises(SystemExit, match="lstm / padded benchmark failed:\nutils.data.DataNotFoundError"):
        bench.run_in_child("lstm", "padded", args)
