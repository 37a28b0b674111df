"""Loaders on the real shared data, bad local data in temporary folders, and downloads from a local HTTP server."""
import hashlib
import http.server
import io
import os
import socket
import tarfile
import threading
import time
import zipfile
from pathlib import Path

import nltk
import numpy as np
import pandas as pd
import pytest

import utils
from utils import data


def test_imdb_has_25000_balanced_reviews_per_split():
    for split in ("train", "test"):
        texts, labels = utils.load_imdb(split)
        assert len(texts) == len(labels) == 25_000
        assert labels.sum() == 12_500
        assert all(isinstance(text, str) and text for text in texts[:100])


def test_imdb_limit_is_balanced_and_deterministic():
    texts, labels = utils.load_imdb("test", limit=1_000)
    again, _ = utils.load_imdb("test", limit=1_000)
    assert len(texts) == 1_000 and labels.sum() == 500
    assert texts == again
    assert 0 < labels[:50].sum() < 50, "classes must be shuffled, not sorted"


def test_imdb_rejects_unknown_split():
    with pytest.raises(ValueError, match="split"):
        utils.load_imdb("validation")


def test_imdb_word_index_is_keras_file():
    index = utils.load_imdb_word_index()
    assert len(index) == 88_584
    assert index["the"] == 1 and index["and"] == 2


def test_sentiment140_training_file_is_two_balanced_classes():
    tweets = utils.load_sentiment140("train")
    counts = tweets["label"].value_counts()
    assert list(tweets.columns) == ["polarity", "id", "date", "query", "user", "text", "label"]
    assert set(tweets["polarity"]) == {0, 4} and set(counts.index) == {0, 1}, "no neutral tweets in training"
    assert len(tweets) >= 20_000, "the offline sample has 20,000 rows, the official file 1,600,000"
    assert abs(counts[0] - counts[1]) <= 0.02 * len(tweets), "a random sample of a balanced file is near balanced"
    assert tweets["text"].map(lambda text: isinstance(text, str) and text != "").all()
    assert 0 < tweets["label"][:100].sum() < 100, "rows must be shuffled, not in file order"


def test_sentiment140_training_sample_spreads_both_classes_over_the_same_weeks():
    tweets = utils.load_sentiment140("train")
    dates = pd.to_datetime(tweets["date"].str.replace(" PDT", ""), format="%a %b %d %H:%M:%S %Y")
    months = pd.crosstab(dates.dt.month, tweets["label"], normalize="columns")
    assert (months.loc[[4, 5, 6]] > 0.05).all().all(), "April, May and June each hold a share of both classes"


def test_all_training_tweets_are_the_official_file_sorted_by_class():
    tweets = utils.load_sentiment140_all(file_order=True)
    assert len(tweets) == 1_600_000 and list(tweets.columns) == ["polarity", "text", "label"]
    assert (tweets["label"][:800_000] == 0).all() and (tweets["label"][800_000:] == 1).all(), "negatives first"


def test_normalising_official_text_gives_the_copy_for_every_row_of_the_random_sample():
    copy = data.sentiment140_all_tweets()
    in_copy = set(zip(copy["polarity"], copy["text"]))
    sample = utils.load_sentiment140("train")
    normalised = sample["text"].map(data.normalize_sentiment140_text)
    assert normalised.str.contains("USER").any() and normalised.str.contains("URL").any()
    assert all((polarity, text) in in_copy for polarity, text in zip(sample["polarity"], normalised))


def test_normalize_sentiment140_text_examples():
    raw = "@bob see http://bit.ly/x &amp; www.a.com &lt;3 "
    assert data.normalize_sentiment140_text(raw) == "USER see URL & www.a.com <3"


def test_load_sentiment140_all_draws_the_same_balanced_random_rows():
    tweets = utils.load_sentiment140_all(limit=3_001)
    assert len(tweets) == 3_001 and abs(tweets["label"].sum() - 1_500) <= 1
    assert tweets["text"].tolist() == utils.load_sentiment140_all(limit=3_001)["text"].tolist()
    assert 0 < tweets["label"][:100].sum() < 100, "rows must be shuffled, not in file order"


def test_sentiment140_test_set_drops_neutral_by_default():
    assert len(utils.load_sentiment140("test")) == 359
    with_neutral = utils.load_sentiment140("test", include_neutral=True)
    assert with_neutral["label"].value_counts().to_dict() == {1: 182, 0: 177, -1: 139}


def test_sentiment140_balanced_and_limited():
    counts = utils.load_sentiment140("train")["label"].value_counts()
    balanced = utils.load_sentiment140("train", balanced=True)["label"].value_counts()
    assert balanced[0] == balanced[1] == counts.min()
    limited = utils.load_sentiment140("train", limit=2_000)
    assert len(limited) == 2_000
    expected_negatives = 2_000 * counts[0] / counts.sum()
    assert abs(limited["label"].value_counts()[0] - expected_negatives) <= 1, "a limit keeps the class shares"
    again = utils.load_sentiment140("train", limit=2_000)
    assert limited["text"].tolist() == again["text"].tolist(), "a limit draws the same rows every time"


def test_glove_is_real_6b_50d():
    glove = utils.load_glove()
    assert len(glove.key_to_index) == 400_000 and glove.vector_size == 50
    assert glove.index_to_key[:3] == ["the", ",", "."]
    assert glove.similarity("king", "queen") > 0.7 > glove.similarity("king", "frog")


def test_ensure_nltk_finds_shared_resources_and_names_missing_ones():
    utils.ensure_nltk("stopwords", "punkt_tab", "wordnet")
    from nltk.corpus import stopwords

    assert len(stopwords.words("english")) == 198
    with pytest.raises(utils.DataNotFoundError, match="NLTK_DATA"):
        utils.ensure_nltk("no_such_corpus_for_the_course")


class FileServer(http.server.BaseHTTPRequestHandler):
    """Serve bytes from `files` (with `types` as Content-Type), and faults under a path prefix.

    /cut/: the connection drops halfway through the body; /stall/: half the body, then silence for a second;
    /slow/: the body 10 bytes at a time, every 50 ms.
    """

    files: dict[str, bytes] = {}
    types: dict[str, str] = {}
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        fault, _, name = self.path.removeprefix("/").partition("/")
        if fault not in ("cut", "stall", "slow"):
            fault, name = "", self.path.removeprefix("/")
        body = self.files.get(f"/{name}")
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if f"/{name}" in self.types:
            self.send_header("Content-Type", self.types[f"/{name}"])
        self.end_headers()
        try:
            self.send_body(body, fault)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def send_body(self, body: bytes, fault: str):
        """Write body as the fault says."""
        if fault == "slow":
            for start in range(0, len(body), 10):
                self.wfile.write(body[start : start + 10])
                self.wfile.flush()
                time.sleep(0.05)
            return
        self.wfile.write(body[: len(body) // 2] if fault else body)
        self.wfile.flush()
        if fault == "stall":
            time.sleep(1.0)

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    """Start a file server on 127.0.0.1 and return its base URL."""
    FileServer.files, FileServer.types, FileServer.hits = {}, {}, []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FileServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def tiny_imdb_reviews(per_folder: int = 1) -> dict[str, bytes]:
    """Return aclImdb-relative paths and texts: per_folder reviews in each split and class."""
    texts = {"pos": b"A wonderful film.", "neg": b"A dreadful film."}
    return {
        f"aclImdb/{split}/{label}/{index}_{split}_{label}.txt": text
        for split in ("train", "test")
        for label, text in texts.items()
        for index in range(per_folder)
    }


def tiny_imdb_archive(per_folder: int = 1) -> bytes:
    """Return a .tar.gz with the aclImdb layout and per_folder reviews per split and class."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in tiny_imdb_reviews(per_folder).items():
            info = tarfile.TarInfo(name)
            info.size = len(text)
            archive.addfile(info, io.BytesIO(text))
    return buffer.getvalue()


def write_files(root: Path, files: dict[str, bytes]) -> None:
    """Write each relative path of files under root."""
    for name, body in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(body)


def tree(root: Path) -> dict[str, bytes | None]:
    """Return everything under root: relative path -> bytes for a file, None for a folder."""
    return {str(path.relative_to(root)): path.read_bytes() if path.is_file() else None for path in root.rglob("*")}


def refused(root: Path, load, error: type[Exception]) -> str:
    """Check that load() raises error and leaves everything under root as it was; return the message."""
    before = tree(root)
    with pytest.raises(error) as raised:
        load()
    assert tree(root) == before
    return str(raised.value)


def remote(url: str, body: bytes, name: str = "aclImdb_v1.tar.gz") -> data.RemoteFile:
    """Return a RemoteFile for body served at url."""
    return data.RemoteFile(name, url, hashlib.md5(body).hexdigest())


def test_download_with_good_checksum_is_fetched_once(server, tmp_path):
    body = tiny_imdb_archive()
    FileServer.files["/a.tar.gz"] = body
    file = remote(f"{server}/a.tar.gz", body)
    path = data.download(file, tmp_path)
    assert path.read_bytes() == body
    data.download(file, tmp_path)
    assert FileServer.hits == ["/a.tar.gz"]
    assert [p.name for p in tmp_path.iterdir()] == ["aclImdb_v1.tar.gz"]


def test_download_with_bad_checksum_leaves_nothing(server, tmp_path):
    FileServer.files["/a.tar.gz"] = b"not the archive we expect"
    file = data.RemoteFile("aclImdb_v1.tar.gz", f"{server}/a.tar.gz", "0" * 32)
    with pytest.raises(utils.DataNotFoundError, match="MD5"):
        data.download(file, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_interrupted_download_leaves_no_half_file(server, tmp_path):
    body = tiny_imdb_archive()
    FileServer.files["/a.tar.gz"] = body
    with pytest.raises(utils.DataNotFoundError, match="interrupted"):
        data.download(remote(f"{server}/cut/a.tar.gz", body), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_corrupt_local_file_is_downloaded_again(server, tmp_path):
    body = tiny_imdb_archive()
    FileServer.files["/a.tar.gz"] = body
    (tmp_path / "aclImdb_v1.tar.gz").write_bytes(body[:100])
    path = data.download(remote(f"{server}/a.tar.gz", body), tmp_path)
    assert path.read_bytes() == body and FileServer.hits == ["/a.tar.gz"]


def test_load_imdb_downloads_and_extracts_official_layout(server, tmp_path, monkeypatch):
    body = tiny_imdb_archive()
    FileServer.files["/aclImdb_v1.tar.gz"] = body
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setitem(data.REMOTE_FILES, "imdb", remote(f"{server}/aclImdb_v1.tar.gz", body))
    texts, labels = utils.load_imdb("train")
    assert sorted(texts) == ["A dreadful film.", "A wonderful film."]
    assert dict(zip(texts, labels)) == {"A wonderful film.": 1, "A dreadful film.": 0}
    assert (tmp_path / "aclImdb" / "test" / "pos").is_dir()


def closed_port() -> int:
    """Return a local port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_missing_file_offline_names_file_url_and_variable(tmp_path, monkeypatch):
    url = f"http://127.0.0.1:{closed_port()}/aclImdb_v1.tar.gz"
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setitem(data.REMOTE_FILES, "imdb", data.RemoteFile("aclImdb_v1.tar.gz", url, "0" * 32))
    with pytest.raises(utils.DataNotFoundError) as error:
        utils.load_imdb("train")
    message = str(error.value)
    assert "aclImdb_v1.tar.gz" in message and url in message and "COURSE_DATA_DIR" in message
    assert error.value.__cause__ is None and error.value.__suppress_context__
    assert list(tmp_path.iterdir()) == []


def test_balanced_indices_split_classes_evenly():
    labels = np.array([0] * 90 + [1] * 10)
    chosen = data.balanced_indices(labels, 10)
    assert sorted(labels[chosen]) == [0] * 5 + [1] * 5


def test_balanced_indices_give_exactly_limit_rows_when_it_is_odd():
    labels = np.array([0] * 50 + [1] * 50)
    for limit in (1, 3, 7):
        chosen = data.balanced_indices(labels, limit)
        assert len(chosen) == len(set(chosen)) == limit
        assert abs(2 * labels[chosen].sum() - limit) <= 1


def closed_url(name: str) -> str:
    """Return a URL on 127.0.0.1 where nothing listens."""
    return f"http://127.0.0.1:{closed_port()}/{name}"


def offline(monkeypatch, key: str) -> str:
    """Point REMOTE_FILES[key] at a closed local port and return that URL."""
    official = data.REMOTE_FILES[key]
    url = closed_url(official.filename)
    monkeypatch.setitem(data.REMOTE_FILES, key, data.RemoteFile(official.filename, url, official.md5))
    return url


# Sentiment140: rows are read strictly and a bad one is named by file and line.

TWO_TWEETS = (
    '"0","11","Mon Apr 06 22:19:45 PDT 2009","NO_QUERY","ann","a sad day"\n'
    '"4","12","Mon Jun 15 10:00:00 PDT 2009","NO_QUERY","bob","a happy day"\n'
)


@pytest.fixture()
def tweets_file(tmp_path, monkeypatch):
    """Return the path of the training CSV in a temporary data folder (not written yet; offline)."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    offline(monkeypatch, "sentiment140")
    (tmp_path / "sentiment140").mkdir()
    return tmp_path / "sentiment140" / data.SENTIMENT140_FILES["train"]


def refusal(path: Path, content: str, **options) -> str:
    """Write content to path, check that loading it raises DataFormatError and changes nothing; return the message."""
    path.write_text(content, encoding="latin-1")
    return refused(path.parent.parent, lambda: utils.load_sentiment140("train", **options), data.DataFormatError)


def test_sentiment140_header_row_is_refused_naming_file_and_line(tweets_file):
    message = refusal(tweets_file, '"target","ids","date","flag","user","text"\n' + TWO_TWEETS)
    assert f"{tweets_file}, line 1: polarity 'target', expected 0, 2 or 4" in message and "header" in message


def test_sentiment140_unknown_polarity_is_refused_naming_its_line(tweets_file):
    message = refusal(tweets_file, TWO_TWEETS + '"x","13","Mon Jun 15 2009","NO_QUERY","cy","so so"\n')
    assert f"{tweets_file}, line 3: polarity 'x', expected 0, 2 or 4" in message


def test_sentiment140_seventh_column_is_refused(tweets_file):
    message = refusal(tweets_file, "".join(f'"en",{row}\n' for row in TWO_TWEETS.splitlines()))
    assert f"{tweets_file}, line 1: 7 fields, expected 6 (polarity, id, date, query, user, text)" in message


@pytest.mark.parametrize(
    "row, problem",
    [('"0","13","Mon Apr 06 2009","NO_QUERY","cy"', "5 fields, expected 6"),
     ('"0","13","Mon Apr 06 2009","NO_QUERY","cy",""', "no text")],
)
def test_sentiment140_row_without_text_is_refused(tweets_file, row, problem):
    message = refusal(tweets_file, TWO_TWEETS + row + "\n")
    assert f"{tweets_file}, line 3: {problem}" in message


def test_sentiment140_non_numeric_id_is_refused(tweets_file):
    message = refusal(tweets_file, TWO_TWEETS.replace('"12"', '"twelve"'))
    assert f"{tweets_file}, line 2: id 'twelve', expected digits" in message


def test_sentiment140_file_of_neutral_tweets_is_refused(tweets_file):
    neutral = TWO_TWEETS.replace('"0","11"', '"2","11"').replace('"4","12"', '"2","12"')
    message = refusal(tweets_file, neutral, include_neutral=True)
    assert f"{tweets_file} has 2 tweets, none of them negative (polarity 0) or positive (polarity 4)" in message


def test_sentiment140_empty_file_is_refused(tweets_file):
    message = refusal(tweets_file, "")
    assert f"{tweets_file} has 0 tweets" in message


def test_sentiment140_utf8_copy_is_read_as_utf8_and_said_so(tweets_file, capsys):
    content = TWO_TWEETS.replace("a happy day", "café au lait ☕").encode("utf-8")
    tweets_file.write_bytes(content)
    tweets = utils.load_sentiment140("train")
    assert set(tweets["text"]) == {"a sad day", "café au lait ☕"}
    assert f"{tweets_file} is UTF-8, not latin-1" in capsys.readouterr().out
    tweets_file.write_bytes(TWO_TWEETS.replace("a happy day", "café").encode("latin-1"))
    assert set(utils.load_sentiment140("train")["text"]) == {"a sad day", "café"}, "the official encoding"
    assert capsys.readouterr().out == ""


def test_sentiment140_glued_rows_are_split(tweets_file):
    first, second = TWO_TWEETS.splitlines()
    tweets_file.write_text(f"{first}{second}\n", encoding="latin-1")
    tweets = utils.load_sentiment140("train")
    assert sorted(tweets["text"]) == ["a happy day", "a sad day"] and sorted(tweets["id"]) == [11, 12]


def test_sentiment140_line_after_glued_rows_is_counted_in_the_file(tweets_file):
    first, second = TWO_TWEETS.splitlines()
    message = refusal(tweets_file, f'{first}{second}\n"x","13","d","NO_QUERY","cy","so so"\n')
    assert f"{tweets_file}, line 2: polarity 'x'" in message


def test_all_tweets_come_normalised_from_the_official_file_when_there_is_no_copy(tweets_file, monkeypatch):
    monkeypatch.setattr(data, "SENTIMENT140_TRAINING_ROWS", 2)
    tweets_file.write_text(TWO_TWEETS.replace("a sad day", "@ann a sad day &amp; http://x.co "), encoding="latin-1")
    tweets = utils.load_sentiment140_all()
    assert sorted(tweets["text"]) == ["USER a sad day & URL", "a happy day"]
    assert tweets.set_index("text")["label"].to_dict() == {"USER a sad day & URL": 0, "a happy day": 1}


def test_all_tweets_refuse_a_sample_when_the_copy_is_missing(tweets_file):
    tweets_file.write_text(TWO_TWEETS, encoding="latin-1")
    message = refused(tweets_file.parent, utils.load_sentiment140_all, utils.DataNotFoundError)
    assert "holds 2 (a sample)" in message and data.SENTIMENT140_NORMALIZED_FILE in message


@pytest.mark.parametrize("content, problem", [
    ('"0","a sad day"\n"4","a happy day"\n"4","more"\n', "it has 3 rows, not 2"),
    ('"0","a sad day"\n"2","so so"\n', "line 2 has polarity '2'"),
    ('"0","a sad day"\n"4",""\n', "line 2 has polarity '4' and text ''"),
    ('"0","a sad day","extra"\n"4","a happy day"\n', "not the normalised Sentiment140 copy"),
])
def test_normalised_copy_in_another_format_is_refused(tweets_file, monkeypatch, content, problem):
    monkeypatch.setattr(data, "SENTIMENT140_TRAINING_ROWS", 2)
    copy = tweets_file.parent / data.SENTIMENT140_NORMALIZED_FILE
    copy.write_text(content, encoding="latin-1")
    message = refused(tweets_file.parent, utils.load_sentiment140_all, data.DataFormatError)
    assert str(copy) in message and problem in message


def test_normalised_copy_of_the_right_format_is_read(tweets_file, monkeypatch):
    monkeypatch.setattr(data, "SENTIMENT140_TRAINING_ROWS", 2)
    (tweets_file.parent / data.SENTIMENT140_NORMALIZED_FILE).write_text('"0","a, sad day"\n"4","caf\xe9"\n',
                                                                         encoding="latin-1")
    assert sorted(utils.load_sentiment140_all()["text"]) == ["a, sad day", "caf\xe9"]


def test_sentiment140_odd_limit_gives_exactly_that_many(tweets_file):
    tweets_file.write_text(TWO_TWEETS * 3, encoding="latin-1")
    assert len(utils.load_sentiment140("train", limit=1)) == 1
    assert sorted(utils.load_sentiment140("train", limit=3)["label"].value_counts()) == [1, 2]


@pytest.mark.parametrize("limit", [-1, 0, 2.5, True])
def test_sentiment140_rejects_limit_that_is_not_a_count(limit):
    with pytest.raises(ValueError, match=r"limit must be a whole number of at least 1 or None"):
        utils.load_sentiment140("train", limit=limit)


# IMDb: every folder the loader reads must hold reviews, every review text; a partial folder is repaired.


@pytest.fixture()
def imdb_root(tmp_path, monkeypatch):
    """Return a temporary data folder for IMDb (COURSE_DATA_DIR), offline."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    offline(monkeypatch, "imdb")
    return tmp_path


def test_imdb_missing_class_folder_offline_is_refused_and_kept(imdb_root):
    write_files(imdb_root, {name: text for name, text in tiny_imdb_reviews().items() if "train/neg" not in name})
    message = refused(imdb_root, lambda: utils.load_imdb("train"), utils.DataNotFoundError)
    assert f"Missing or empty in {imdb_root}: aclImdb/train/neg." in message
    assert data.REMOTE_FILES["imdb"].url in message and "COURSE_DATA_DIR" in message


def test_imdb_empty_review_is_refused_naming_the_file(imdb_root):
    write_files(imdb_root, tiny_imdb_reviews() | {"aclImdb/train/pos/0_train_pos.txt": b" \n"})
    message = refused(imdb_root, lambda: utils.load_imdb("train"), data.DataFormatError)
    assert f"{imdb_root / 'aclImdb/train/pos/0_train_pos.txt'} is empty" in message


def test_imdb_review_that_is_not_utf8_is_refused_naming_the_file(imdb_root):
    write_files(imdb_root, tiny_imdb_reviews() | {"aclImdb/test/neg/0_test_neg.txt": b"Caf\xe9 society."})
    message = refused(imdb_root, lambda: utils.load_imdb("test"), data.DataFormatError)
    assert f"{imdb_root / 'aclImdb/test/neg/0_test_neg.txt'} is not UTF-8 text (byte 0xe9 at offset 3)" in message


def put_imdb_archive(root: Path, monkeypatch, per_folder: int = 1) -> None:
    """Put a tiny official-layout archive into root and register its checksum (the URL stays unreachable)."""
    body = tiny_imdb_archive(per_folder)
    (root / "aclImdb_v1.tar.gz").write_bytes(body)
    monkeypatch.setitem(data.REMOTE_FILES, "imdb", remote(closed_url("aclImdb_v1.tar.gz"), body))


def test_partial_imdb_folder_is_completed_from_the_archive(imdb_root, monkeypatch):
    put_imdb_archive(imdb_root, monkeypatch)
    write_files(imdb_root, {"aclImdb/train/pos/0_train_pos.txt": b"A half-copied review", "aclImdb/mine.txt": b"notes"})
    texts, labels = utils.load_imdb("train")
    assert dict(zip(texts, labels)) == {"A wonderful film.": 1, "A dreadful film.": 0}
    assert (imdb_root / "aclImdb" / "mine.txt").read_bytes() == b"notes", "what the archive lacks is kept"
    assert sorted(path.name for path in imdb_root.iterdir()) == ["aclImdb", "aclImdb_v1.tar.gz"]


def test_concurrent_extractions_all_succeed(imdb_root, monkeypatch):
    put_imdb_archive(imdb_root, monkeypatch, per_folder=300)
    start, errors = threading.Barrier(3), []

    def load() -> None:
        start.wait()
        try:
            data.imdb_dir()
        except Exception as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(utils.load_imdb("test")[0]) == 600
    assert sorted(path.name for path in imdb_root.iterdir()) == ["aclImdb", "aclImdb_v1.tar.gz"]


def test_leftovers_of_an_interrupted_download_and_extraction_are_removed(imdb_root, monkeypatch, capsys):
    put_imdb_archive(imdb_root, monkeypatch)
    write_files(imdb_root, tiny_imdb_reviews() | {
        "aclImdb/train/pos/0_train_pos.txt": b"A half-extracted review",
        ".aclImdb_v1.tar.gz.0badc0de.part": b"half a download",
        ".extract-k1ll3d/aclImdb/train/pos/0_train_pos.txt": b"A wonderful film.",
    })
    texts, _ = utils.load_imdb("train")
    assert sorted(texts) == ["A dreadful film.", "A wonderful film."], "an interrupted extraction is done again"
    assert sorted(path.name for path in imdb_root.iterdir()) == ["aclImdb", "aclImdb_v1.tar.gz"]
    printed = capsys.readouterr().out
    assert ".aclImdb_v1.tar.gz.0badc0de.part" in printed and ".extract-k1ll3d" in printed


@pytest.mark.parametrize("limit", [-1, 0, 2.5, True])
def test_imdb_rejects_limit_that_is_not_a_count(limit):
    with pytest.raises(ValueError, match=r"limit must be a whole number of at least 1 or None"):
        utils.load_imdb("train", limit=limit)


def test_imdb_small_limits_give_exactly_that_many():
    for limit in (1, 3):
        texts, labels = utils.load_imdb("test", limit=limit)
        assert len(texts) == len(labels) == limit


# IMDb's unlabelled reviews: every file that is there, limited and shuffled like load_imdb.


def unsup_reviews(count: int) -> dict[str, bytes]:
    """Return aclImdb-relative paths and texts of count unlabelled reviews, named as in the official archive."""
    return {f"aclImdb/train/unsup/{index}_0.txt": f"Unlabelled review {index}.".encode() for index in range(count)}


def test_imdb_unsup_returns_every_review_file_present():
    folder = data.data_dir() / "aclImdb" / data.IMDB_UNSUP_FOLDER
    texts = utils.load_imdb_unsup()
    assert len(texts) == len(list(folder.glob("*.txt"))) > 0
    assert all(isinstance(text, str) and text for text in texts[:100])


def test_imdb_unsup_limit_is_deterministic_and_shuffled():
    folder = data.data_dir() / "aclImdb" / data.IMDB_UNSUP_FOLDER
    texts = utils.load_imdb_unsup(limit=200)
    assert len(texts) == 200 and texts == utils.load_imdb_unsup(limit=200)
    assert texts != [data.read_review(path) for path in sorted(folder.glob("*.txt"))[:200]], "shuffled, not sorted"


def test_imdb_unsup_counts_the_files_there_and_a_limit_keeps_the_head_of_one_order(imdb_root):
    write_files(imdb_root, unsup_reviews(30))
    texts = utils.load_imdb_unsup()
    assert sorted(texts) == sorted(f"Unlabelled review {index}." for index in range(30))
    assert texts != sorted(texts, key=lambda text: int(text.split()[-1][:-1])), "shuffled, not in file order"
    assert utils.load_imdb_unsup(limit=4) == texts[:4]
    assert utils.load_imdb_unsup(limit=1_000) == texts


def test_imdb_unsup_folder_missing_offline_is_refused_and_kept(imdb_root):
    write_files(imdb_root, tiny_imdb_reviews())
    message = refused(imdb_root, utils.load_imdb_unsup, utils.DataNotFoundError)
    assert f"Missing or empty in {imdb_root}: aclImdb/train/unsup." in message
    assert data.REMOTE_FILES["imdb"].url in message and "COURSE_DATA_DIR" in message


def test_imdb_unsup_empty_review_is_refused_naming_the_file(imdb_root):
    write_files(imdb_root, unsup_reviews(3) | {"aclImdb/train/unsup/1_0.txt": b""})
    message = refused(imdb_root, utils.load_imdb_unsup, data.DataFormatError)
    assert f"{imdb_root / 'aclImdb/train/unsup/1_0.txt'} is empty" in message


def test_imdb_movies_are_the_title_ids_of_the_urls_file_in_review_order(imdb_root):
    urls = "http://www.imdb.com/title/tt0018515/usercomments\nhttp://www.imdb.com/title/tt0100680/usercomments\n"
    write_files(imdb_root, tiny_imdb_reviews() | unsup_reviews(2) | {"aclImdb/train/urls_unsup.txt": urls.encode()})
    assert data.imdb_movies("train/unsup") == ["tt0018515", "tt0100680"]
    with pytest.raises(utils.DataNotFoundError, match="urls_pos.txt is missing"):
        data.imdb_movies("train/pos")


def test_imdb_unsup_movies_are_not_those_of_the_test_reviews():
    unsup = data.imdb_movies("train/unsup")
    assert len(unsup) == 50_000, "the urls file lists the official archive's 50,000 unlabelled reviews"
    assert not set(unsup) & set(data.imdb_movies("test/pos") + data.imdb_movies("test/neg"))


@pytest.mark.parametrize("limit", [-1, 0, 2.5, True])
def test_imdb_unsup_rejects_limit_that_is_not_a_count(limit):
    with pytest.raises(ValueError, match=r"limit must be a whole number of at least 1 or None"):
        utils.load_imdb_unsup(limit=limit)


@pytest.mark.parametrize("dim", ["50", 64, 50.0])
def test_glove_rejects_dimension_that_does_not_exist(dim):
    allowed = r"dim must be one of the integers 50, 100, 200, 300 \(GloVe 6B\)"
    with pytest.raises(ValueError, match=rf"{allowed}, not {dim!r}"):
        utils.load_glove(dim)


# Downloads: wrong files are set aside, web pages and slow servers named, folders and modes as they should be.


def test_corrupt_local_archive_is_set_aside_when_offline(tmp_path, capsys):
    body = tiny_imdb_archive()
    (tmp_path / "aclImdb_v1.tar.gz").write_bytes(body[:100])
    with pytest.raises(utils.DataNotFoundError, match="could not be downloaded"):
        data.download(remote(closed_url("aclImdb_v1.tar.gz"), body), tmp_path)
    assert tree(tmp_path) == {"aclImdb_v1.tar.gz.corrupt": body[:100]}
    assert "kept it as aclImdb_v1.tar.gz.corrupt" in capsys.readouterr().out


def test_web_page_instead_of_the_file_says_what_came(server, tmp_path):
    page = b"<!DOCTYPE html><html><body>Please sign in</body></html>"
    FileServer.files["/a.tar.gz"], FileServer.types["/a.tar.gz"] = page, "text/html; charset=utf-8"
    with pytest.raises(utils.DataNotFoundError) as error:
        data.download(remote(f"{server}/a.tar.gz", tiny_imdb_archive()), tmp_path)
    message = str(error.value)
    assert "the server sent text/html; charset=utf-8, starting b'<!DOCTYPE html>" in message
    assert "a web page, not the file" in message and "run the cell again" not in message
    assert list(tmp_path.iterdir()) == []


def test_stalled_download_fails_after_timeout(server, tmp_path):
    body = tiny_imdb_archive()
    FileServer.files["/a.tar.gz"] = body
    with pytest.raises(utils.DataNotFoundError, match=r"stalled: no data for 0.2 s"):
        data.download(remote(f"{server}/stall/a.tar.gz", body), tmp_path, timeout=0.2)
    assert list(tmp_path.iterdir()) == []


def test_trickling_download_fails_as_too_slow(server, tmp_path):
    body = b"x" * 400
    FileServer.files["/a.tar.gz"] = body
    started = time.monotonic()
    with pytest.raises(utils.DataNotFoundError, match=r"too slow: \d+ bytes in 0\.\d s, less than the 10,000 bytes/s"):
        data.download(remote(f"{server}/slow/a.tar.gz", body), tmp_path, slow_window=0.3, min_speed=10_000)
    assert time.monotonic() - started < 1.5, "stopped well before the 2 s the whole body takes"
    assert list(tmp_path.iterdir()) == []


def test_downloaded_file_has_the_umask_mode(server, tmp_path):
    body = tiny_imdb_archive()
    FileServer.files["/a.tar.gz"] = body
    previous = os.umask(0o022)
    try:
        path = data.download(remote(f"{server}/a.tar.gz", body), tmp_path)
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644


def test_failed_download_leaves_no_folder_behind(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    url = offline(monkeypatch, "sentiment140")
    with pytest.raises(utils.DataNotFoundError) as error:
        utils.load_sentiment140("test")
    assert "trainingandtestdata.zip" in str(error.value) and url in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_sentiment140_zip_is_extracted_once_downloaded(server, tmp_path, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name in data.SENTIMENT140_FILES.values():
            bundle.writestr(name, TWO_TWEETS)
    body = buffer.getvalue()
    FileServer.files["/s.zip"] = body
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setitem(data.REMOTE_FILES, "sentiment140", remote(f"{server}/s.zip", body, "trainingandtestdata.zip"))
    assert len(utils.load_sentiment140("test")) == 2
    assert sorted(path.name for path in (tmp_path / "sentiment140").iterdir()) == sorted(
        ["trainingandtestdata.zip", *data.SENTIMENT140_FILES.values()]
    )


# NLTK: downloads go into the course's data folder, a failure leaves nothing.


@pytest.fixture()
def nltk_path(monkeypatch):
    """Give the test its own copy of nltk.data.path."""
    monkeypatch.setattr(nltk.data, "path", list(nltk.data.path))


def test_nltk_resource_is_downloaded_into_the_data_folder(tmp_path, monkeypatch, nltk_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    index_folder = tmp_path / "nltk_data" / "index"  # NLTK reads a file:// index only inside its download folder
    index_folder.mkdir(parents=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("course_words/", "")
        bundle.writestr("course_words/english", "film\nmovie\n")
    (index_folder / "course_words.zip").write_bytes(buffer.getvalue())
    md5, sha256 = (hashlib.new(name, buffer.getvalue()).hexdigest() for name in ("md5", "sha256"))
    (index_folder / "index.xml").write_text(
        '<?xml version="1.0"?><nltk_data><packages><package id="course_words" subdir="corpora" unzip="1" '
        f'url="file://{index_folder}/course_words.zip" size="{len(buffer.getvalue())}" unzipped_size="11" '
        f'checksum="{md5}" sha256_checksum="{sha256}" /></packages><collections /></nltk_data>'
    )
    monkeypatch.setattr(data, "NLTK_INDEX_URL", f"file://{index_folder}/index.xml")
    monkeypatch.setitem(data.NLTK_RESOURCE_PATHS, "course_words", "corpora/course_words")
    utils.ensure_nltk("course_words")
    assert (tmp_path / "nltk_data" / "corpora" / "course_words" / "english").read_text() == "film\nmovie\n"
    assert Path(nltk.data.find("corpora/course_words")) == tmp_path / "nltk_data" / "corpora" / "course_words"


def test_nltk_resource_missing_offline_names_the_folder_and_leaves_nothing(tmp_path, monkeypatch, nltk_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(data, "NLTK_INDEX_URL", f"file://{tmp_path}/nltk_data/index.xml")
    with pytest.raises(utils.DataNotFoundError) as error:
        utils.ensure_nltk("no_such_corpus_for_the_course")
    message = str(error.value)
    assert f"could not be downloaded into {tmp_path / 'nltk_data'}" in message and "NLTK_DATA" in message
    assert list(tmp_path.iterdir()) == []


# The session check of tests/conftest.py.


def test_session_stops_with_one_message_naming_the_missing_datasets(tmp_path, monkeypatch):
    import conftest

    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    for key in ("imdb", "imdb_word_index", "sentiment140"):
        offline(monkeypatch, key)
    monkeypatch.setattr(data, "SPA_ENG_URL", closed_url("spa-eng.zip"))
    with pytest.raises(pytest.exit.Exception) as stop:
        conftest.pytest_sessionstart(None)
    message = str(stop.value)
    listed = [line.split(":")[0] for line in message.splitlines() if line.startswith("- ")]
    assert listed == [
        "- IMDb reviews", "- Keras's IMDb word index", "- Sentiment140 training tweets", "- Sentiment140 test tweets",
        "- English-Spanish pairs",
    ], "NLTK resources are on NLTK_DATA and GloVe 50d is installed"
    assert "COURSE_DATA_DIR" in message and "NLTK_DATA" in message
    assert stop.value.returncode == pytest.ExitCode.USAGE_ERROR
    assert list(tmp_path.iterdir()) == []


def test_spa_eng_splits_are_disjoint_by_english_sentence_and_fixed():
    splits = {name: data.load_spa_eng(name) for name in data.SPA_ENG_SPLITS}
    assert sum(map(len, splits.values())) == 118_964
    english = {name: set(frame["english"]) for name, frame in splits.items()}
    assert not (english["train"] & english["validation"] or english["train"] & english["test"]
                or english["validation"] & english["test"])
    distinct = sum(map(len, english.values()))
    for name, share in data.SPA_ENG_SPLITS.items():
        assert abs(len(english[name]) - share * distinct) <= 1
    assert "¿" in "".join(splits["test"]["spanish"]) and "á" in "".join(splits["test"]["spanish"])
    assert splits["test"].equals(data.load_spa_eng("test")), "the split is the same every time"


def test_spa_eng_max_words_and_limit_keep_every_translation_of_a_sentence():
    test = data.load_spa_eng("test")
    short = data.load_spa_eng("test", max_words=5, limit=300)
    assert short["english"].nunique() == 300
    assert (short["english"].str.split().str.len() <= 5).all()
    chosen = test[test["english"].isin(set(short["english"]))]
    assert sorted(map(tuple, chosen.to_numpy())) == sorted(map(tuple, short.to_numpy()))
    firsts = data.load_spa_eng("test", max_words=5, limit=100)["english"].unique()
    assert list(firsts) == list(short["english"].unique()[:100]), "a smaller limit takes the first sentences"


@pytest.fixture()
def spa_eng_root(tmp_path, monkeypatch):
    """A data folder whose spa-eng/spa.txt the test writes; return that file's path."""
    (tmp_path / "spa-eng").mkdir()
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    return tmp_path / "spa-eng" / "spa.txt"


@pytest.mark.parametrize("line, problem", [
    ("Go.Ve.", "line 2: 0 tabs"),
    ("Go.\tVe.\tVete.", "line 2: 2 tabs"),
    ("Go.\t ", "line 2: no Spanish sentence"),
    ("\tVe.", "line 2: no English sentence"),
])
def test_spa_eng_bad_line_is_refused_naming_it(spa_eng_root, line, problem):
    spa_eng_root.write_text(f"Hi.\tHola.\n{line}\nRun!\t¡Corre!\n", encoding="utf-8")
    with pytest.raises(data.DataFormatError, match=problem + r"; every line of spa.txt is one English sentence"):
        data.load_spa_eng("test")


def test_spa_eng_well_formed_file_with_another_checksum_is_refused(spa_eng_root):
    spa_eng_root.write_text("Hi.\tHola.\nRun!\t¡Corre!\n", encoding="utf-8")
    with pytest.raises(data.DataFormatError, match=f"has MD5 .*, not {data.SPA_ENG_MD5}.*2 well-formed pairs"):
        data.load_spa_eng("train")


def test_spa_eng_is_downloaded_and_extracted_once(server, tmp_path, monkeypatch):
    official = data.spa_eng_path().read_bytes()
    expected = data.load_spa_eng("test")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("spa-eng/_about.txt", "Tatoeba")
        bundle.writestr("spa-eng/spa.txt", official)
    FileServer.files["/spa-eng.zip"] = archive.getvalue()
    monkeypatch.setattr(data, "SPA_ENG_URL", f"{server}/spa-eng.zip")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert data.load_spa_eng("test").equals(expected)
    assert (tmp_path / "spa-eng" / "spa.txt").read_bytes() == official
    assert not (tmp_path / "spa-eng" / "_about.txt").exists()
    data.load_spa_eng("validation")
    assert FileServer.hits == ["/spa-eng.zip"]


def test_spa_eng_missing_offline_names_the_url_and_the_variable(tmp_path, monkeypatch):
    url = closed_url("spa-eng.zip")
    monkeypatch.setattr(data, "SPA_ENG_URL", url)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(utils.DataNotFoundError, match=f"spa.txt is missing .*{url}.*COURSE_DATA_DIR"):
        data.load_spa_eng("test")
    assert not (tmp_path / "spa-eng").exists()
