"""Benchmark: the textbook pipeline (every review padded to maxlen) against length-bucketed batches.

Run with `make bench` (or `python -m utils.bench --help`). Each (model, pipeline) pair trains in its own
process, so that its peak memory is its own; timing uses the standard library only.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

MODELS = ("lstm", "bidirectional_lstm")
PIPELINES = ("padded", "bucketed")


def run_one(model_name: str, pipeline: str, *, epochs: int, train: int | None, test: int | None, maxlen: int) -> dict:
    """Train one model on one pipeline and return its throughput, time, memory and test accuracy."""
    import keras

    import utils
    from utils import models, sequences

    keras.utils.set_random_seed(utils.SEED)
    train_texts, train_labels = utils.load_imdb("train", limit=train)
    test_texts, test_labels = utils.load_imdb("test", limit=test)
    vectorizer = sequences.make_vectorizer(train_texts)
    make_dataset = sequences.padded_dataset if pipeline == "padded" else sequences.bucketed_dataset
    batch_size = 128 if model_name == "lstm" else 64
    train_data = make_dataset(train_texts, train_labels, vectorizer, maxlen=maxlen, batch_size=batch_size)
    test_data = make_dataset(test_texts, test_labels, vectorizer, maxlen=maxlen, batch_size=256, shuffle=False)
    model = getattr(models, model_name)()
    for _ in train_data:
        pass
    epoch_seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.fit(train_data, epochs=1, verbose=0)
        epoch_seconds.append(time.perf_counter() - start)
    _, test_accuracy = model.evaluate(test_data, verbose=0)
    return {
        "model": model_name,
        "pipeline": pipeline,
        "epochs": epochs,
        "train_samples": len(train_texts),
        "seconds_per_epoch": sum(epoch_seconds) / epochs,
        "samples_per_second": len(train_texts) * epochs / sum(epoch_seconds),
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "test_accuracy": float(test_accuracy),
    }


def run_in_child(model_name: str, pipeline: str, args: argparse.Namespace) -> dict:
    """Run one benchmark in a fresh Python process and return its result."""
    command = [sys.executable, "-m", "utils.bench", "--child", model_name, pipeline, "--epochs", str(args.epochs),
               "--maxlen", str(args.maxlen)]
    command += ["--train", str(args.train)] if args.train else []
    command += ["--test", str(args.test)] if args.test else []
    child = subprocess.run(command, capture_output=True, text=True)
    if child.returncode != 0:
        raise SystemExit(f"The {model_name} / {pipeline} benchmark failed:\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Run every (model, pipeline) pair and print a table and the speed-ups."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=2, help="epochs per run (default 2)")
    parser.add_argument("--train", type=int, default=None, help="training reviews (default: all 25,000)")
    parser.add_argument("--test", type=int, default=None, help="test reviews (default: all 25,000)")
    parser.add_argument("--maxlen", type=int, default=500, help="truncation length (default 500)")
    parser.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS))
    parser.add_argument("--child", nargs=2, metavar=("MODEL", "PIPELINE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = run_one(*args.child, epochs=args.epochs, train=args.train, test=args.test, maxlen=args.maxlen)
        print(json.dumps(result))
        return 0
    print(f"IMDb, maxlen {args.maxlen}, {args.epochs} epochs, train {args.train or 'all'}, test {args.test or 'all'}")
    header = f"{'model':<20}{'pipeline':<10}{'samples/s':>10}{'s/epoch':>9}{'peak MB':>9}{'test acc':>10}"
    print(header)
    results = {}
    for model_name in args.models:
        for pipeline in PIPELINES:
            result = results[model_name, pipeline] = run_in_child(model_name, pipeline, args)
            print(f"{model_name:<20}{pipeline:<10}{result['samples_per_second']:>10.1f}"
                  f"{result['seconds_per_epoch']:>9.1f}{result['peak_memory_mb']:>9.0f}"
                  f"{result['test_accuracy']:>10.4f}", flush=True)
    for model_name in args.models:
        padded, bucketed = results[model_name, "padded"], results[model_name, "bucketed"]
        speedup = bucketed["samples_per_second"] / padded["samples_per_second"]
        change = 100 * (bucketed["test_accuracy"] - padded["test_accuracy"])
        print(f"{model_name}: bucketed / padded throughput = {speedup:.2f}x, test accuracy {change:+.2f} points")
    return 0


if __name__ == "__main__":
    sys.exit(main())
