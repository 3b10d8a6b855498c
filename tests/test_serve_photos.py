"""The preview shows pages before their photos are encoded, then serves each photo once it is ready."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import photo_bytes, village, write_site
from PIL import Image
from test_serve import get, wait_for

from villagesite.build import build
from villagesite.config import load_config, with_base_url
from villagesite.encode import encode_one
from villagesite.preview import Preview, PreviewServer

PAGE = "content/villages/fengjian/index.md"
SRCSET = re.compile(r'srcset="([^"]+)"')


def photo_site(root: Path) -> Path:
    extra = "cover: {src: cover.jpg, alt: 石桥}\ngallery:\n  - {src: a.jpg, alt: 祠堂}\n  - {src: b.jpg, alt: 河涌}\n"
    return write_site(
        root,
        {
            PAGE: village("逢简村", extra=extra, body="水乡正文。"),
            "content/villages/fengjian/cover.jpg": photo_bytes(1200, 800, (120, 90, 60)),
            "content/villages/fengjian/a.jpg": photo_bytes(900, 600, (30, 120, 60)),
            "content/villages/fengjian/b.jpg": photo_bytes(800, 800, (60, 60, 160)),
        },
    )


class Gate:
    """An encoder that waits to be let through: a slow machine, on demand."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.started: list[str] = []
        self.fail: set[str] = set()

    def __call__(self, asset, missing, want_placeholder, cache_root):  # noqa: ANN001, ANN204 - encode_one's shape
        self.started.append(asset.source.url)
        assert self.open.wait(20)
        if asset.source.path.name in self.fail:
            raise OSError("image file is truncated")
        return encode_one(asset, missing, want_placeholder, cache_root)


@pytest.fixture
def gated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[PreviewServer, Gate, list[str]]]:
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    root = photo_site(tmp_path / "site")
    gate = Gate()
    lines: list[str] = []
    preview = Preview(root)
    preview.use_photo_encoder(tmp_path / "cache", workers=1, executor=ThreadPoolExecutor(3), encode=gate)
    server = PreviewServer(preview, port=0, say=lines.append)
    server.listen()
    assert not preview.build().failed, preview.error
    server.start()
    yield server, gate, lines
    gate.open.set()
    server.stop()


def variant_urls(html: str) -> list[str]:
    return [entry.split()[0] for srcset in SRCSET.findall(html) for entry in srcset.split(",")]


def test_the_page_is_served_before_its_photos_are_encoded(gated):
    server, gate, _lines = gated
    started = time.perf_counter()
    status, body, _ = get(server.port, "/villages/fengjian/")
    assert status == 200 and time.perf_counter() - started < 5
    assert not gate.open.is_set()  # nothing was encoded to answer it
    urls = variant_urls(body.decode())
    assert len(urls) >= 9 and all(url.startswith("/img/") for url in urls)
    assert not list((server.preview.output / "img").glob("*"))  # no photo in the preview folder yet

    answer: dict[str, object] = {}
    asked = threading.Thread(
        target=lambda: answer.update(zip(("status", "body"), get(server.port, urls[-1])[:2], strict=True))
    )
    asked.start()
    time.sleep(0.5)
    assert not answer  # waiting for the photo, not answered with half of it or a 404
    gate.open.set()
    asked.join(20)
    assert answer["status"] == 200
    with Image.open(io.BytesIO(answer["body"])) as image:  # a whole file
        image.load()


def test_a_requested_photo_jumps_the_queue(gated):
    server, gate, _lines = gated
    html = get(server.port, "/villages/fengjian/")[1].decode()
    last_photo = next(url for url in variant_urls(html) if "/b." in url)
    answers: list[int] = []
    asked = threading.Thread(target=lambda: answers.append(get(server.port, last_photo)[0]))
    asked.start()
    # One photo was started in the background (one worker); the asked-for one starts beside it, not third.
    wait_for(lambda: any(url.endswith("/b.jpg") for url in gate.started))
    assert len(gate.started) <= 2
    gate.open.set()
    asked.join(20)
    assert answers == [200]


def test_every_variant_is_served_whole_and_the_next_build_matches_a_plain_build(gated, tmp_path):
    server, gate, lines = gated
    gate.open.set()
    html = get(server.port, "/villages/fengjian/")[1].decode()
    for url in variant_urls(html):
        status, body, headers = get(server.port, url)
        assert status == 200, url
        with Image.open(io.BytesIO(body)) as image:
            image.load()
            assert str(image.width) in url  # the width its name says
    wait_for(lambda: server.preview.photos.waiting == 0)
    assert any("photos: 3 encoded, 0 to go" in line for line in lines)

    server.preview.build(["content/villages/fengjian/index.md"])  # the next save: photos come from the cache
    config = with_base_url(load_config(server.preview.site_dir), "/")
    plain = tmp_path / "plain"
    build(config, output=plain, drafts=True, hash_assets=False)
    preview_images = {p.name: p.read_bytes() for p in (server.preview.output / "img").iterdir()}
    plain_images = {p.name: p.read_bytes() for p in (plain / "img").iterdir()}
    assert preview_images == plain_images
    built_html = (plain / "villages/fengjian/index.html").read_text(encoding="utf-8")
    assert variant_urls(built_html) == variant_urls(html)  # the markup was final from the first build


def test_a_photo_that_cannot_be_encoded_is_shown_at_its_line(gated):
    server, gate, lines = gated
    gate.fail.add("a.jpg")
    gate.open.set()
    wait_for(lambda: any("a.jpg" in line for line in lines))
    message = next(line for line in lines if "a.jpg" in line)
    assert message.startswith(f"{PAGE}:9: gallery[0].src: image 'a.jpg' is cut short")
    wait_for(lambda: any(m.get("command") == "alert" and "a.jpg" in m["message"] for m in server.hub.sent))


def still_running(group: int) -> list[str]:
    """The processes of a process group that are still alive (an exited one may stay a zombie in a
    container whose first process does not reap orphans)."""
    listing = subprocess.run(["ps", "-o", "stat=,cmd=", "-g", str(group)], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines() if line.strip() and not line.strip().startswith("Z")]


def noisy_photo(seed: int, size: tuple[int, int] = (2400, 1800)) -> bytes:
    """A photo that takes a real encoder a while (noise does not compress)."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 40 + seed).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.mark.parametrize("how", ["ctrl-c", "sigint", "sigterm", "kill -9"])
def test_the_server_stops_at_once_while_photos_are_encoded_in_the_background(tmp_path, how):
    """Ctrl-C reaches every process of the terminal's job, and the system may hand it to any thread of
    the server (a watcher's, the encoders'): it must still stop, keep what was encoded, and say nothing
    about photos that were not done.  SIGTERM (a service manager) stops it the same way."""
    names = [f"p{number}.jpg" for number in range(8)]
    gallery = "".join(f"  - {{src: {name}, alt: 第{number}张}}\n" for number, name in enumerate(names[1:], 1))
    files: dict[str, str | bytes] = {PAGE: village(extra=f"cover: {{src: {names[0]}, alt: 村口}}\ngallery:\n{gallery}")}
    files.update({f"content/villages/fengjian/{name}": noisy_photo(number) for number, name in enumerate(names)})
    root = write_site(tmp_path / "site", files)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "VILLAGESITE_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "villagesite", "serve", "--site", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # a job of its own, as in a terminal: the signal goes to all its processes
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        seen = []
        for line in process.stdout:
            seen.append(line)
            if "Ctrl-C to stop" in line:
                break
        assert any("8 photos are encoded when a page shows them" in line for line in seen), seen
        port = int(next(line for line in seen if "at http://127.0.0.1:" in line).rsplit(":", 1)[1].strip(" /\n"))
        assert get(port, "/villages/fengjian/")[0] == 200
        time.sleep(1.5)  # the background has started on the other photos
        if how == "ctrl-c":  # a terminal's Ctrl-C: to every process of the job
            os.killpg(process.pid, signal.SIGINT)
        elif how == "kill -9":  # killed outright (out of memory): it cannot stop its encoders
            process.kill()
            process.communicate(timeout=20)  # returns once the encoders, which share its pipes, are gone
            assert not still_running(process.pid)
            return
        else:  # to the server alone, as `kill -INT` or a service manager sends it
            process.send_signal(signal.SIGINT if how == "sigint" else signal.SIGTERM)
        out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert out.rstrip().endswith("Stopped."), out
        assert "Traceback" not in err and "could not be decoded" not in out, (out, err)
        wait_for(lambda: not still_running(process.pid))  # no encoder left working on its own
        assert list((tmp_path / "cache/images").rglob("*.avif"))  # what was encoded is kept
    finally:  # the server and any encoder it left: they hold the pipes communicate() reads to the end
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
