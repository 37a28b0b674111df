"""Loaders on the real shared data, and the download path against a local HTTP server."""
import hashlib
import http.server
import io
import socket
import tarfile
import threading

import numpy as np
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
    assert len(tweets) >= 100_000, "the offline sample has 109,370 rows, the official file 1,600,000"
    assert abs(counts[0] - counts[1]) <= 0.001 * len(tweets), "both files are balanced between the classes"
    assert tweets["text"].map(lambda text: isinstance(text, str) and text != "").all()
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
    """Serve bytes from `files`; under /cut/ the connection drops halfway through the body."""

    files: dict[str, bytes] = {}
    hits: list[str] = []

    def do_GET(self):
        self.hits.append(self.path)
        body = self.files.get(self.path.removeprefix("/cut"))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if self.path.startswith("/cut/") else body)
        self.wfile.flush()

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    """Start a file server on 127.0.0.1 and return its base URL."""
    FileServer.files, FileServer.hits = {}, []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FileServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def tiny_imdb_archive() -> bytes:
    """Return a .tar.gz with the aclImdb layout and one review per split and class."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for split in ("train", "test"):
            for label, text in (("pos", b"A wonderful film."), ("neg", b"A dreadful film.")):
                info = tarfile.TarInfo(f"aclImdb/{split}/{label}/0_{split}_{label}.txt")
                info.size = len(text)
                archive.addfile(info, io.BytesIO(text))
    return buffer.getvalue()


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
