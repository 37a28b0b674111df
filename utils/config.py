"""Course-wide constants, paths and the run profile (COURSE_PROFILE=full|lecture|smoke)."""
from __future__ import annotations

import contextlib
import os
import platform
import sys
from dataclasses import dataclass, fields
from numbers import Integral
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data"
TRAINED_DIR = DEFAULT_DATA_DIR / "trained"  # in the repository even when COURSE_DATA_DIR points elsewhere
IMG_DIR = REPO_ROOT / "img"
RESULTS_DIR = REPO_ROOT / "results"
SEED = 42
VOCAB_SIZE = 10_000
SAMPLE_REVIEWS = [
    "This movie was great!",
    "Terrible plot, awful acting.",
    "I loved it: the story, the music and the actors were all wonderful, "
    "and I would happily watch it again with my whole family on a rainy Sunday.",
]


class DataNotFoundError(FileNotFoundError):
    """A dataset file is neither on disk nor downloadable."""


def check_count(name: str, value: object, *, optional: bool = False) -> None:
    """Raise ValueError unless value is a whole number of at least 1 (or None, when optional)."""
    if optional and value is None:
        return
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        allowed = "a whole number of at least 1" + (" or None" if optional else "")
        raise ValueError(f"{name} must be {allowed}, not {value!r}.")


@dataclass(frozen=True)
class Profile:
    """Data sizes and epochs a notebook uses (None: all, the lesson's), and whether it loads what a full run trained."""

    name: str
    imdb_train: int | None
    imdb_test: int | None
    tweets_train: int | None
    max_epochs: int | None
    reuses_training: bool = False

    def __post_init__(self) -> None:
        """Refuse sizes and epochs that are not whole numbers of at least 1 or None, and a non-bool reuses_training."""
        for field, value in self.counts.items():
            check_count(f"Profile {self.name!r}: {field}", value, optional=True)
        if not isinstance(self.reuses_training, bool):
            raise ValueError(
                f"Profile {self.name!r}: reuses_training must be True or False, not {self.reuses_training!r}."
            )

    @property
    def counts(self) -> dict[str, int | None]:
        """Return the profile's sample sizes and epoch cap by field name."""
        return {field.name: getattr(self, field.name) for field in fields(self)
                if field.name not in ("name", "reuses_training")}

    @property
    def is_full_size(self) -> bool:
        """Return whether the profile trains on all the data for the lessons' epochs, as data/trained/ holds."""
        return all(value is None for value in self.counts.values())

    def epochs(self, lesson_epochs: int) -> int:
        """Return the lesson's epochs, capped by the profile."""
        check_count("lesson_epochs", lesson_epochs)
        if self.max_epochs is None:
            return lesson_epochs
        return min(lesson_epochs, self.max_epochs)

    def limit(self, lesson_size: int | None, profile_size: int | None) -> int | None:
        """Return the smaller of a lesson's sample size and the profile's (None means all)."""
        check_count("lesson_size", lesson_size, optional=True)
        check_count("profile_size", profile_size, optional=True)
        sizes = [size for size in (lesson_size, profile_size) if size is not None]
        return min(sizes) if sizes else None


PROFILES = {
    "full": Profile("full", imdb_train=None, imdb_test=None, tweets_train=None, max_epochs=None),
    "lecture": Profile("lecture", imdb_train=None, imdb_test=None, tweets_train=None, max_epochs=None,
                       reuses_training=True),
    "smoke": Profile("smoke", imdb_train=2_000, imdb_test=1_000, tweets_train=2_000, max_epochs=1),
}


def get_profile(name: str | None = None) -> Profile:
    """Return the profile named by `name` or by COURSE_PROFILE (default "full")."""
    name = name or os.environ.get("COURSE_PROFILE", "full")
    if name not in PROFILES:
        raise ValueError(f"COURSE_PROFILE={name!r} is not a profile; use one of {sorted(PROFILES)}.")
    return PROFILES[name]


PROFILE = get_profile()


def profile_dir(root: Path, profile: Profile = PROFILE) -> Path:
    """Return root for the full profile, root/<profile name> otherwise (so other runs never overwrite full ones)."""
    return root if profile.name == "full" else root / profile.name


def data_dir_as_given() -> Path:
    """Return COURSE_DATA_DIR (relative paths start at the repo root) or data/, symbolic links not followed."""
    return REPO_ROOT / Path(os.environ.get("COURSE_DATA_DIR", "data")).expanduser()


def data_dir() -> Path:
    """Return the data root: COURSE_DATA_DIR (relative paths start at the repo root), which must exist, or data/."""
    folder = data_dir_as_given().resolve()
    if folder != DEFAULT_DATA_DIR.resolve() and not folder.is_dir():
        raise DataNotFoundError(
            f"COURSE_DATA_DIR={os.environ['COURSE_DATA_DIR']!r} names {folder}, which is not a folder. "
            f"Correct the variable (relative paths start at {REPO_ROOT}), create that folder, or unset the "
            f"variable to use {DEFAULT_DATA_DIR}."
        )
    return folder


@contextlib.contextmanager
def quiet_native_stderr():
    """Send what C++ code writes to file descriptor 2 (TensorFlow's CUDA probing) to /dev/null."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def device_name() -> str:
    """Return "GPU (<name>)" when TensorFlow sees a GPU, else "CPU (<n> cores)"."""
    import tensorflow as tf

    with quiet_native_stderr():
        gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        return f"GPU ({details.get('device_name', gpus[0].name)})"
    return f"CPU ({os.cpu_count()} cores)"


def library_versions() -> dict[str, str]:
    """Return the versions of Python and the course's main libraries."""
    import keras
    import numpy
    import tensorflow

    return {
        "python": platform.python_version(),
        "tensorflow": tensorflow.__version__,
        "keras": keras.__version__,
        "numpy": numpy.__version__,
    }


def shown_path(path: Path) -> str:
    """Return path relative to the repository when it is inside it, else relative to the repository's parent folder."""
    path = Path(os.path.abspath(path))
    for root, prefix in ((REPO_ROOT, ""), (REPO_ROOT.parent, "../")):
        if path.is_relative_to(root):
            return prefix + path.relative_to(root).as_posix()
    return "$COURSE_DATA_DIR"


def setup_notebook(name: str) -> Profile:
    """Seed everything, print the profile, versions and device, and return the profile."""
    import warnings

    import keras

    keras.utils.set_random_seed(SEED)
    # Two warnings Keras prints for every tf.data pipeline whose length it cannot know in advance:
    # the datasets shuffle themselves, and "ran out of data" marks the end of the first epoch.
    warnings.filterwarnings("ignore", message="`shuffle=True` was passed, but will be ignored")
    warnings.filterwarnings("ignore", message="Your input ran out of data")
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")  # not the retracing note printed when several models call predict in one notebook
    versions = ", ".join(f"{lib} {version}" for lib, version in library_versions().items())
    device = device_name()
    print(f"Notebook {name} | profile: {PROFILE.name} | seed: {SEED}")
    print(f"{versions} | device: {device} | data: {shown_path(data_dir_as_given())}")
    if "google.colab" in sys.modules:
        print("Running on Colab: datasets download from their official sources on first use.")
    if not device.startswith("GPU"):
        print("No GPU found: training runs on the CPU (slower, same lessons).")
    return PROFILE
