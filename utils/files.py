"""Files that survive a killed run: what the course writes and later reads back is written under a temporary name in
its own folder, then renamed into place, and a file that cannot be read back is refused in one line.

A run killed mid-write (Ctrl-C, a full disk, a closed laptop) so leaves the previous file, or none, under the real name:
never half of one. Downloads and extracted archives follow the same rule in utils/data.py, with their own locks.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from utils.config import shown_path

STAGING_PREFIX = ".partial-"
"""The hidden folder, beside the file, that a write goes into before its rename."""
LEFTOVER_AGE_S = 3600
"""A staging folder older than this was left by a killed run (a write in progress is younger); the next write beside
it removes it."""


class DamagedFileError(ValueError):
    """A file the course wrote earlier that cannot be read back: cut short, overwritten or edited by hand."""


def damaged_file_error(path: Path, problem: str, advice: str,
                       error: type[DamagedFileError] = DamagedFileError) -> DamagedFileError:
    """Return an error of class error for a file that cannot be read back: which file, what is wrong, what to do."""
    return error(f"{shown_path(path)} {problem}. {advice}")


def synced(path: Path) -> None:
    """Flush path's bytes to the disk, so that the rename never publishes a file the disk does not hold yet."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def remove_leftovers(folder: Path) -> None:
    """Remove the staging folders that killed runs left in folder more than LEFTOVER_AGE_S seconds ago."""
    for leftover in folder.glob(f"{STAGING_PREFIX}*"):
        if time.time() - leftover.stat().st_mtime > LEFTOVER_AGE_S:
            shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def written_in_place(path: Path) -> Iterator[Path]:
    """Yield where to write path: the same name in a hidden folder beside it, renamed onto path if the block succeeds.

    Whatever else the block writes into that folder (gensim's .npy arrays beside a model) is renamed beside path too,
    before path itself. If the block fails, nothing is renamed: the previous files stay and the folder is removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path.parent)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=path.parent))
    try:
        yield staging / path.name
        for written in sorted(staging.iterdir(), key=lambda file: file.name == path.name):
            synced(written)
            os.replace(written, path.parent / written.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_text(path: Path, text: str) -> None:
    """Write text to path through written_in_place."""
    with written_in_place(path) as partial:
        partial.write_text(text)


def write_json(path: Path, data: object) -> None:
    """Write data to path as indented JSON through written_in_place."""
    write_text(path, json.dumps(data, indent=2) + "\n")


def read_json(path: Path, advice: str, error: type[DamagedFileError] = DamagedFileError) -> object:
    """Return the JSON in path; raise error (a DamagedFileError), ending with advice, if it is not valid UTF-8 JSON."""
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise damaged_file_error(path, f"is damaged: not valid JSON ({problem})", advice, error) from None


def read_json_record(path: Path, keys: list[str], advice: str,
                     error: type[DamagedFileError] = DamagedFileError) -> dict:
    """Return the JSON object in path, refusing (error) one that is not valid JSON or lacks one of keys."""
    record = read_json(path, advice, error)
    missing = [key for key in keys if key not in record] if isinstance(record, dict) else keys
    if missing:
        raise damaged_file_error(path, f"is damaged: not a JSON object with {', '.join(missing)}", advice, error)
    return record
