"""``villagesite serve``: what an editor sees while saving, and what nobody can reach through it."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest
from conftest import photo_bytes, snapshot, village, write_site
from PIL import Image

from villagesite import parallel
from villagesite import site as site_module
from villagesite.preview import Preview, PreviewServer, driver
from villagesite.preview import server as server_module
from villagesite.preview.http import Redirect, locate, with_client
from villagesite.preview.hub import messages_for
from villagesite.preview.terminal import describe


def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> object:
    """Poll until ``condition()`` is truthy; fail with a clear message after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {condition}")


def small_site(root: Path) -> Path:
    return write_site(
        root,
        {
            "content/villages/fengjian/index.md": village("逢简村", body="水乡正文。"),
            "content/villages/weilong/index.md": village("围龙村", style="hakka", city="梅州市", lat=24.3, lon=116.1),
            "content/villages/draft/index.md": village("草稿村", extra="draft: true\n", body="还没写完。"),
        },
    )


def get(
    port: int, path: str, host: str | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes, dict[str, str]]:
    """A request with the path sent exactly as given (no client-side normalising), and any ``Host``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def running(tmp_path: Path, cache: Path) -> Iterator[PreviewServer]:
    """The small site, built once and served from a background thread on a free port."""
    root = small_site(tmp_path / "site")
    preview = Preview(root)
    lines: list[str] = []
    server = PreviewServer(preview, port=0, say=lines.append)
    server.lines = lines  # type: ignore[attr-defined]
    server.listen()
    assert not preview.build().failed
    server.start()
    yield server
    server.stop()


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def wait_for_build(server: PreviewServer, count: int) -> None:
    wait_for(lambda: server.builds >= count)


# ---------------------------------------------------------------- where files come from


def test_the_preview_is_built_with_drafts_into_the_cache_never_into_output(running):
    root = running.preview.site_dir
    status, body, headers = get(running.port, "/villages/draft/")
    assert status == 200 and "还没写完。" in body.decode()
    assert not (root / "output").exists()
    assert running.preview.output.is_relative_to(Path(os.environ["VILLAGESITE_CACHE_DIR"]))
    assert headers["Cache-Control"] == "no-store"


def test_pages_carry_the_preview_script_and_folders_redirect_to_their_slash(running):
    status, body, _ = get(running.port, "/villages/fengjian/")
    assert status == 200
    html = body.decode()
    assert html.count('<script src="/_villagesite/client.js" defer></script>') == 1
    assert html.index("/_villagesite/client.js") < html.index("</head>")
    status, _, headers = get(running.port, "/villages/fengjian?x=1")
    assert status == 302 and headers["Location"] == "/villages/fengjian/?x=1"
    status, script, headers = get(running.port, "/_villagesite/client.js")
    assert status == 200 and b"WebSocket" in script and headers["Content-Type"].startswith("text/javascript")


def test_a_file_is_served_by_ranges_as_a_phone_video_player_asks(running):
    """Safari plays a <video> only from a server that answers ``Range``: a villager's iPhone on the preview."""
    path = "/villages/fengjian/clip.mp4"
    whole = bytes(range(256)) * 40
    (running.preview.output / path.lstrip("/")).write_bytes(whole)
    status, body, headers = get(running.port, path)
    assert status == 200 and body == whole and headers["Accept-Ranges"] == "bytes"
    status, body, headers = get(running.port, path, headers={"Range": "bytes=0-1"})
    assert status == 206 and body == whole[:2] and headers["Content-Range"] == f"bytes 0-1/{len(whole)}"
    status, body, headers = get(running.port, path, headers={"Range": "bytes=10000-"})
    assert status == 206 and body == whole[10000:] and headers["Content-Range"] == f"bytes 10000-10239/{len(whole)}"
    status, body, _ = get(running.port, path, headers={"Range": "bytes=-16"})
    assert status == 206 and body == whole[-16:]
    status, _, headers = get(running.port, path, headers={"Range": "bytes=20000-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(whole)}"
    status, body, _ = get(running.port, "/villages/fengjian/", headers={"Range": "bytes=0-1"})
    assert status == 200 and len(body) > 2  # a page is always whole (the preview script goes into it)


@pytest.mark.parametrize(
    "path",
    [
        "/../site.yaml",
        "/../../etc/passwd",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fsite.yaml",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/villages/../../site.yaml",
        "/%252e%252e/site.yaml",
        "/..%5csite.yaml",
        "/..\\site.yaml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/.villagesite",
        "/linked/passwd",
        "/linked-file",
        "/%00index.html",
    ],
)
def test_nothing_outside_the_preview_folder_is_reachable(running, path):
    os.symlink("/etc", running.preview.output / "linked")  # planted links lead nowhere
    os.symlink(running.preview.site_dir / "site.yaml", running.preview.output / "linked-file")
    status, body, _ = get(running.port, path)
    assert status == 404, path
    assert b"root:" not in body and b"base_url" not in body


def test_a_page_elsewhere_cannot_read_the_preview_through_a_name_of_its_own(running):
    """DNS rebinding: evil.example points its name at 127.0.0.1; the preview answers only its own names."""
    own = socket.gethostname().lower()
    for host in (
        f"evil.example:{running.port}",
        "evil.example",
        f"{own}.evil.example:{running.port}",  # once accepted: its first label is this computer's name
        f"{own}.evil.example.",
        f"localhost.evil.example:{running.port}",
        f"evil.localhost.example:{running.port}",
        f"192.168.31.20:{running.port}",  # an address the preview never printed
        "10.0.0.1",
        "",
    ):
        assert get(running.port, "/", host=host)[0] == 403, host
        assert get(running.port, "/_villagesite/client.js", host=host)[0] == 403, host
    for host in (f"localhost:{running.port}", f"127.0.0.1:{running.port}", "127.0.0.2", f"[::1]:{running.port}", own):
        assert get(running.port, "/", host=host)[0] == 200, host


def test_with_lan_the_printed_address_is_accepted_and_no_other(tmp_path, cache):
    server = PreviewServer(Preview(small_site(tmp_path / "site")), port=0, lan_addresses=("192.168.31.20",))
    server.listen()
    assert not server.preview.build().failed
    server.start()
    try:
        assert get(server.port, "/", host=f"192.168.31.20:{server.port}")[0] == 200
        assert get(server.port, "/", host=f"192.168.31.21:{server.port}")[0] == 403
        assert get(server.port, "/", host=f"192.168.31.20.evil.example:{server.port}")[0] == 403
    finally:
        server.stop()


def upgrade_status(port: int, origin: str, host: str | None = None) -> int:
    """The status a WebSocket upgrade from ``origin`` (sent with ``host``) gets, on a connection closed
    before returning.

    A plain request rather than a WebSocket client: the client's socket outlived its event loop and
    was found unclosed by a later test, which failed it at random.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", "/_villagesite/livereload", skip_host=host is not None, skip_accept_encoding=True)
        for name, value in (
            *((("Host", host),) if host is not None else ()),
            ("Origin", origin),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ("Sec-WebSocket-Version", "13"),
        ):
            connection.putheader(name, value)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_reload_socket_refuses_a_rebound_name_that_starts_with_this_computer(running):
    """The WebSocket upgrade checks ``Host`` too: a rebound name gets 403, never 101 Switching Protocols."""
    rebound = f"{socket.gethostname().lower()}.evil.example:{running.port}"
    assert upgrade_status(running.port, f"http://{rebound}", host=rebound) == 403


def test_only_the_preview_own_pages_may_listen_for_reloads(running):
    """The reload socket carries the site's error messages: another site's page may not connect to it."""
    assert upgrade_status(running.port, f"http://127.0.0.1:{running.port}") == 101
    assert upgrade_status(running.port, "http://evil.example") == 403


def test_locate_answers_only_inside_the_folder(tmp_path):
    root = tmp_path / "preview"
    (root / "a").mkdir(parents=True)
    (root / "a" / "index.html").write_text("a")
    (root / "index.html").write_text("home")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", root / "a" / "out.txt")
    assert locate(root, "") == (root / "index.html").resolve()
    assert locate(root, "a/") == (root / "a" / "index.html").resolve()
    assert locate(root, "a") == Redirect("/a/")
    assert locate(root, "a/out.txt") is None
    assert locate(root, "../secret.txt") is None
    assert locate(root, "a/../../secret.txt") is None
    assert locate(root, "missing.html") is None


def test_the_script_goes_into_the_head_or_else_the_body():
    assert with_client(b"<html><HEAD></HEAD></html>").startswith(b"<html><HEAD><script")
    assert with_client(b"<p>x</p></body>").endswith(b"</script></body>")
    assert with_client(b"<p>x</p>").endswith(b"</script>")


# ---------------------------------------------------------------- rebuilding on save


def test_a_saved_page_is_rebuilt_alone_and_the_browser_told_after_the_build(running):
    root = running.preview.site_dir
    edit(root / "content/villages/fengjian/index.md", "水乡正文。", "新写的正文。")
    wait_for_build(running, 1)
    message = wait_for(lambda: running.hub.sent and running.hub.sent[-1])
    assert message == {"command": "reload", "path": "/villages/fengjian/index.html", "liveCSS": False}
    assert "新写的正文。" in get(running.port, "/villages/fengjian/")[1].decode()
    # The terminal's line is printed right after the browsers are told: wait for it, not for the build.
    said = "content/villages/fengjian/index.md -> wrote villages/fengjian/index.html and the search index in"
    wait_for(lambda: running.lines and said in running.lines[-1])


def test_an_editor_saving_through_a_temporary_file_is_seen(running):
    root = running.preview.site_dir
    temporary = root / "content/villages/fengjian/.index.md.swp.tmp"
    temporary.write_text(village("逢简村", body="改名保存的正文。"), encoding="utf-8")
    os.replace(temporary, root / "content/villages/fengjian/index.md")
    wait_for(lambda: "改名保存的正文。" in get(running.port, "/villages/fengjian/")[1].decode())


def test_a_temporary_file_that_came_and_went_is_not_named_as_a_change(running):
    """sed -i and some editors write 'sedAb12Cd' beside the file and rename it over the file."""
    folder = running.preview.site_dir / "content/villages/fengjian"
    (folder / "sedAb12Cd").write_text(village("逢简村", body="sed 改的正文。"), encoding="utf-8")
    os.replace(folder / "sedAb12Cd", folder / "index.md")
    wait_for(lambda: "sed 改的正文。" in get(running.port, "/villages/fengjian/")[1].decode())
    wait_for(lambda: running.lines and "wrote villages/fengjian/index.html" in running.lines[-1])
    assert "sedAb12Cd" not in "".join(running.lines)


def test_a_burst_of_saves_makes_one_or_two_builds_and_the_last_save_wins(running):
    page = running.preview.site_dir / "content/villages/fengjian/index.md"
    for number in range(20):
        page.write_text(village("逢简村", body=f"第{number}次保存。"), encoding="utf-8")
        time.sleep(0.05)
    wait_for(lambda: "第19次保存。" in get(running.port, "/villages/fengjian/")[1].decode())
    time.sleep(1.0)  # anything still queued would build now
    assert 1 <= running.builds <= 2, running.lines


def test_deleting_and_renaming_pages_and_folders_while_serving(running):
    root = running.preview.site_dir
    villages = root / "content/villages"
    os.rename(villages / "fengjian", villages / "fengjian-cun")
    wait_for(lambda: get(running.port, "/villages/fengjian-cun/")[0] == 200)
    assert get(running.port, "/villages/fengjian/")[0] == 404
    (villages / "weilong" / "index.md").unlink()
    wait_for(lambda: running.preview.error and "has no index.md" in running.preview.error)
    assert get(running.port, "/villages/weilong/")[0] == 200  # the last good page stays
    for path in sorted((villages / "weilong").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (villages / "weilong").rmdir()
    wait_for(lambda: running.preview.error is None and get(running.port, "/villages/weilong/")[0] == 404)
    status, body, _ = get(running.port, "/villages/weilong/")
    assert b"/_villagesite/client.js" in body  # a 404 page reloads too, for when the page comes back


def test_a_broken_file_shows_its_message_and_fixing_it_reloads(running):
    page = running.preview.site_dir / "content/villages/fengjian/index.md"
    good = page.read_text(encoding="utf-8")
    page.write_text(good.replace("style: cantonese", "style: guangfu"), encoding="utf-8")
    alert = wait_for(lambda: [m for m in running.hub.sent if m["command"] == "alert"])[0]
    assert "content/villages/fengjian/index.md:3: style: 'guangfu' is not one of" in alert["message"]
    wait_for(lambda: running.lines and "not built, the browser shows why" in running.lines[-1])
    assert "水乡正文。" in get(running.port, "/villages/fengjian/")[1].decode()  # the last good page
    page.write_text(good, encoding="utf-8")
    wait_for(lambda: running.hub.sent[-1]["command"] == "reload")
    assert running.preview.error is None


def use_own_theme(root: Path, files: dict[str, str]) -> None:
    """A site theme 'mine' over the default, written before site.yaml names it."""
    for rel, text in {"themes/mine/theme.yaml": "extends: default\n", **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "site.yaml").write_text("title: 测试古村\nbase_url: /\ntheme: mine\n", encoding="utf-8")


def test_a_missing_photo_is_shown_with_the_line_that_names_it(running):
    page = running.preview.site_dir / "content/villages/fengjian/index.md"
    page.write_text(village("逢简村", extra="cover: {src: gate.jpg, alt: 村口}\n"), encoding="utf-8")
    error = wait_for(lambda: running.preview.error)
    assert "content/villages/fengjian/index.md:7: cover.src: image 'gate.jpg' is not in the page's folder" in error
    (page.parent / "gate.jpg").write_bytes(photo_bytes())
    wait_for(lambda: running.preview.error is None and running.hub.sent[-1]["command"] == "reload")
    assert get(running.port, "/villages/fengjian/")[0] == 200


def test_a_template_error_is_shown_with_the_template_line(running):
    root = running.preview.site_dir
    use_own_theme(root, {"themes/mine/templates/village.html": "<p>\n{{ page.title | nonesuch }}</p>\n"})
    error = wait_for(lambda: running.preview.error)
    assert "themes/mine/templates/village.html:2" in error and "nonesuch" in error
    (root / "themes/mine/templates/village.html").write_text('{% extends "default:village.html" %}\n')
    wait_for(lambda: running.preview.error is None and running.hub.sent[-1]["command"] == "reload")


def test_a_stylesheet_edit_rewrites_only_the_stylesheet_and_refreshes_styles(running):
    root = running.preview.site_dir
    use_own_theme(root, {"themes/mine/static/style.css": "body { color: rgb(1, 2, 3); }\n"})
    wait_for(lambda: get(running.port, "/theme/style.css")[1] == b"body { color: rgb(1, 2, 3); }\n")
    time.sleep(0.6)  # past the burst window: the next save is built on its own
    before = running.builds
    (root / "themes/mine/static/style.css").write_text("body { color: rgb(4, 5, 6); }\n", encoding="utf-8")
    wait_for(lambda: running.builds > before)
    # Messages go out from the server's loop, a moment after the build is counted.
    wait_for(lambda: running.hub.sent[-1] == {"command": "reload", "path": "/theme/style.css", "liveCSS": True})
    wait_for(lambda: running.lines and "wrote theme/style.css" in running.lines[-1])
    assert "styles refreshed" in running.lines[-1]


def test_the_server_survives_a_bug_in_the_build(running, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(driver, "build", broken)
    edit(running.preview.site_dir / "content/villages/fengjian/index.md", "水乡正文。", "又一次。")
    error = wait_for(lambda: running.preview.error)
    assert "RuntimeError: boom" in error and "a bug" in error
    assert get(running.port, "/villages/fengjian/")[0] == 200


# ---------------------------------------------------------------- messages


def test_what_each_outcome_tells_the_browser():
    from villagesite.build import BuildReport
    from villagesite.errors import error
    from villagesite.preview import Outcome
    from villagesite.write import WriteReport

    def built(written: tuple[str, ...], removed: tuple[str, ...] = ()) -> Outcome:
        return Outcome(("x",), 0.1, BuildReport(None, {}, 3, 0.1, written=WriteReport(written, removed, 0)))

    failed = Outcome(("x",), 0.1, problems=(error("content/a/index.md", 3, "bad", field="style"),))
    assert messages_for(failed, None) == [{"command": "alert", "message": "content/a/index.md:3: style: bad\n1 error"}]
    assert messages_for(built(()), failed) == [{"command": "reload", "path": "*", "liveCSS": False}]
    assert messages_for(built(()), None) == []
    assert messages_for(built(("theme/a.css", "theme/b.css")), None) == [
        {"command": "reload", "path": "/theme/a.css", "liveCSS": True},
        {"command": "reload", "path": "/theme/b.css", "liveCSS": True},
    ]
    assert messages_for(built(("theme/a.css", "index.html")), None)[0]["liveCSS"] is False
    line = describe(built(("a.html", "b.html"), ("c.html",)))
    assert line.endswith("x -> wrote 2 files, removed 1 in 0.10 s")


# ---------------------------------------------------------------- binding, LAN, Ctrl-C


def test_it_listens_on_localhost_only_unless_lan_is_asked(tmp_path, cache):
    root = small_site(tmp_path / "site")
    local = PreviewServer(Preview(root), port=0)
    local.listen()
    lan = PreviewServer(Preview(root), port=0, lan_addresses=("127.0.0.2",), also_listen=("127.0.0.2",))
    lan.listen()
    try:
        assert [s.getsockname()[0] for s in local._sockets] == ["127.0.0.1"]
        assert sorted(s.getsockname()[0] for s in lan._sockets) == ["127.0.0.1", "127.0.0.2"]
        assert len({s.getsockname()[1] for s in lan._sockets}) == 1  # one port for both
    finally:
        for sock in local._sockets + lan._sockets:
            sock.close()


def decode_terminal_qr(text: str) -> list[str]:
    """What a phone camera reads off the QR code printed in the terminal (half blocks: two modules a
    character; a block is a light module, as on a dark terminal)."""
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp is in the test extras")
    rows = [row for row in text.split("\n") if row and set(row) <= set(" █▀▄")]
    image = Image.new("L", (max(map(len, rows)), 2 * len(rows)), 0)
    for y, row in enumerate(rows):
        for x, char in enumerate(row):
            image.putpixel((x, 2 * y), 255 if char in "█▀" else 0)
            image.putpixel((x, 2 * y + 1), 255 if char in "█▄" else 0)
    image = image.resize((image.width * 8, image.height * 8), Image.Resampling.NEAREST)
    return [found.text for found in zxingcpp.read_barcodes(image)]


def test_lan_serves_the_printed_address_whose_qr_code_decodes_to_it_and_no_other(tmp_path, cache, monkeypatch):
    """``serve --lan`` end to end, with 127.0.0.2 standing in for the village Wi-Fi address."""
    root = small_site(tmp_path / "site")
    page = root / "content/villages/weilong/index.md"
    page.write_text(village("围龙村", style="hakka", body="见[不存在的村](../nowhere/)。"), encoding="utf-8")
    monkeypatch.setattr(server_module, "lan_address", lambda: "127.0.0.2")
    opened: list[str] = []
    monkeypatch.setattr(server_module.webbrowser, "open", opened.append)
    lines: list[str] = []
    fetched: dict[str, int] = {}

    def run_and_fetch(self: PreviewServer) -> None:
        """Instead of serving forever: serve in the background, fetch as a phone would, stop."""
        self.start()
        try:
            printed = next(w for w in "\n".join(lines).split() if w.startswith("http://127.0.0.2:"))
            for url in (printed, printed.replace("127.0.0.2", "127.0.0.1")):
                with urllib.request.urlopen(url + "villages/fengjian/", timeout=10) as response:
                    fetched[url] = response.status
            with pytest.raises(OSError):  # bound to the printed address and loopback, not every address
                socket.create_connection(("127.0.0.3", self.port), timeout=2).close()
        finally:
            self.stop()

    monkeypatch.setattr(PreviewServer, "run", run_and_fetch)
    assert server_module.serve(root, port=0, lan=True, open_browser=True, say=lines.append) == 0
    text = "\n".join(lines)
    assert "content/villages/weilong/index.md:9: body: link '../nowhere/' leads to no page" in text  # warnings
    printed = next(w for w in text.split() if w.startswith("http://127.0.0.2:"))
    assert decode_terminal_qr(text) == [printed]
    assert sorted(fetched.values()) == [200, 200]
    assert len(opened) == 1 and opened[0].startswith("http://127.0.0.1:")


def _interruptible() -> None:
    """Ctrl-C as a terminal sends it: a test run started in the background (``pytest &``) ignores SIGINT, and
    a child inherits that, so Python would install no KeyboardInterrupt handler and the server would not stop."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_the_server_cleanly(tmp_path, cache):
    root = small_site(tmp_path / "site")
    process = subprocess.Popen(
        [sys.executable, "-m", "villagesite", "serve", "--site", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=_interruptible,
    )
    try:
        assert process.stdout is not None
        seen = []
        for line in process.stdout:
            seen.append(line)
            if "Ctrl-C to stop" in line:
                break
        port = int(next(line for line in seen if "at http://127.0.0.1:" in line).rsplit(":", 1)[1].strip(" /\n"))
        assert get(port, "/")[0] == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert "Stopped." in out and "Traceback" not in err
    finally:  # never leave a server running, nor its pipes for a later test's garbage collection
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_the_whole_content_folder_moved_away_and_back(running, tmp_path):
    root = running.preview.site_dir
    os.rename(root / "content", tmp_path / "away")
    assert "there is no content/ folder" in wait_for(lambda: running.preview.error)
    os.rename(tmp_path / "away", root / "content")
    wait_for(lambda: running.preview.error is None)
    edit(root / "content/villages/fengjian/index.md", "水乡正文。", "又回来了。")  # watched again
    wait_for(lambda: "又回来了。" in get(running.port, "/villages/fengjian/")[1].decode())


def test_a_folder_created_while_serving_is_watched_with_no_save_lost(running):
    """static/ appears; the watcher starts again to include it; a save in between is still built."""
    static = running.preview.site_dir / "static"
    static.mkdir()
    for number in range(4):  # saves before, during and after the watcher's restart
        (static / "notice.txt").write_text(f"第{number}版", encoding="utf-8")
        time.sleep(0.1)
    wait_for(lambda: get(running.port, "/notice.txt")[1].decode() == "第3版")
    edit_count = running.builds
    (static / "notice.txt").write_text("第4版", encoding="utf-8")  # and the new folder is watched now
    wait_for(lambda: running.builds > edit_count and get(running.port, "/notice.txt")[1].decode() == "第4版")


def test_editions_are_previewed_and_a_translation_saved_rebuilds_its_page(tmp_path, cache):
    """With editions, the preview serves each under its prefix; saving an original rebuilds it in both
    Chinese editions, saving a translation its English page alone, and a translation that changes a
    fact is shown in the browser at its line."""
    root = small_site(tmp_path / "site")
    (root / "site.yaml").write_text("title: 测试古村\nbase_url: /\nlanguages: [zh-Hant, en]\n", encoding="utf-8")
    translation = root / "content/villages/fengjian/index.en.md"
    translation.write_text("---\ntitle: Fengjian Village\n---\n\nCanals.\n", encoding="utf-8")
    preview = Preview(root)
    lines: list[str] = []
    server = PreviewServer(preview, port=0, say=lines.append)
    server.listen()
    assert not preview.build().failed
    server.start()
    try:
        assert "逢簡村" in get(server.port, "/zh-hant/villages/fengjian/")[1].decode()
        assert "Canals." in get(server.port, "/en/villages/fengjian/")[1].decode()
        edit(root / "content/villages/fengjian/index.md", "水乡正文。", "头发与出发。")
        wait_for(lambda: "頭髮與出發" in get(server.port, "/zh-hant/villages/fengjian/")[1].decode())
        said = "wrote villages/fengjian/index.html, zh-hant/villages/fengjian/index.html and the search index in"
        wait_for(lambda: any(said in line for line in lines))
        edit(translation, "Canals.", "Canals and bridges.")
        wait_for(lambda: "Canals and bridges." in get(server.port, "/en/villages/fengjian/")[1].decode())
        wait_for(
            lambda: any(
                "index.en.md -> wrote en/villages/fengjian/index.html and the search index in" in line for line in lines
            )
        )
        edit(translation, "title: Fengjian Village\n", "title: Fengjian Village\nstyle: hakka\n")
        alert = wait_for(lambda: [m for m in server.hub.sent if m["command"] == "alert"])[0]
        assert "content/villages/fengjian/index.en.md:3: style: 'hakka' differs from the original's" in alert["message"]
    finally:
        server.stop()


def test_a_save_reloads_before_the_search_index_is_made_and_the_index_then_matches_a_fresh_one(tmp_path, cache):
    """The index changes with any page's words and is the slowest part of a save: the browser is told
    first, then the index is written in a commit of its own, equal to one made from nothing (a page's
    new words found, a deleted page's gone)."""
    root = small_site(tmp_path / "site")
    preview = Preview(root)
    assert not preview.build().failed
    before = snapshot(preview.output / "search/index")
    edit(root / "content/villages/fengjian/index.md", "水乡正文。", "镬耳屋与石板桥。")
    (root / "content/villages/weilong/index.md").unlink()
    (root / "content/villages/weilong").rmdir()
    told = ["content/villages/fengjian/index.md", "content/villages/weilong/index.md", "content/villages/weilong"]
    outcome = preview.build(told)  # as the watcher tells it
    assert "villages/fengjian/index.html" in outcome.written
    assert not any(rel.startswith("search/index/") for rel in outcome.written)
    assert snapshot(preview.output / "search/index") == before  # what the browser reloads into: the last index
    indexed = preview.after_reload()
    assert indexed and all(rel.startswith("search/index/") for rel in indexed)
    fresh = Preview(root, output=tmp_path / "fresh")
    assert not fresh.build().failed
    assert snapshot(preview.output / "search") == snapshot(tmp_path / "fresh" / "search")
    documents = b"".join(snapshot(preview.output / "search/index/d").values()).decode()
    assert "镬耳屋" in documents and "围龙村" not in documents
    assert preview.after_reload() == ()  # nothing left to do
    again = preview.build(["content/villages/fengjian/index.md"])
    assert again.written == () and preview.after_reload() == ()  # the manifest knows the new index
    assert describe(replace(outcome, indexed=indexed)).count("the search index") == 1


def test_a_save_that_fails_after_its_index_was_planned_leaves_the_last_index(tmp_path, cache):
    """A build can fail after the index was left for later (two outputs writing one file is found at
    the end): its pages are not written, and neither is an index of them."""
    root = small_site(tmp_path / "site")
    preview = Preview(root)
    assert not preview.build().failed
    before = snapshot(preview.output / "search/index")
    edit(root / "content/villages/fengjian/index.md", "水乡正文。", "镬耳屋与石板桥。")
    clash = root / "static/villages/fengjian/index.html"
    clash.parent.mkdir(parents=True)
    clash.write_text("<p>手写的页面</p>", encoding="utf-8")
    assert preview.build(["static/villages/fengjian/index.html"]).failed
    assert preview.after_reload() == ()
    assert snapshot(preview.output / "search/index") == before
    clash.unlink()
    assert not preview.build(["static/villages/fengjian/index.html"]).failed
    assert preview.after_reload()
    assert "镬耳屋" in b"".join(snapshot(preview.output / "search/index/d").values()).decode()


def test_a_body_save_puts_its_page_in_the_last_site_and_compiles_no_template(tmp_path, cache, monkeypatch):
    """The first build of a large site renders in worker processes, which compile the templates for
    themselves; the preview then compiles every template once, so that a save does not.  A save that
    changes a body alone converts that body and puts its page into the last site, without assembling
    the site again, and writes that page alone."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)  # the first build forks workers, as at 500 pages
    root = small_site(tmp_path / "site")
    preview = Preview(root)
    assert not preview.build().failed
    compiled: list[str] = []
    assembled: list[int] = []
    compile_template = jinja2.Environment.compile
    collect = site_module._collect

    def counting_compile(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return compile_template(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    monkeypatch.setattr(site_module, "_collect", lambda *args: assembled.append(1) or collect(*args))
    page = root / "content/villages/fengjian/index.md"
    edit(page, "水乡正文。", "水乡的新正文。")
    outcome = preview.build(["content/villages/fengjian/index.md"])
    assert outcome.report is not None and outcome.report.written.written == ("villages/fengjian/index.html",)
    assert "水乡的新正文。" in (preview.output / "villages/fengjian/index.html").read_text(encoding="utf-8")
    assert compiled == [] and assembled == []
    edit(page, "title: 逢简村", "title: 逢简新村")  # front matter: the site is assembled again
    assert not preview.build(["content/villages/fengjian/index.md"]).failed
    assert assembled


def test_a_save_the_watcher_names_is_read_alone_and_a_walk_after_the_reload_finds_what_it_missed(tmp_path, cache):
    """A save of a page's Markdown is read without walking content/; a change the watcher did not
    tell (a village added meanwhile) is found by the walk after the reload, and built then."""
    root = small_site(tmp_path / "site")
    preview = Preview(root)
    assert not preview.build().failed
    edit(root / "content/villages/fengjian/index.md", "水乡正文。", "水乡的新正文。")
    write_site(root, {"content/villages/xinwei/index.md": village("新围村", body="新来的村。")})
    assert not preview.build(["content/villages/fengjian/index.md"]).failed
    assert "水乡的新正文。" in (preview.output / "villages/fengjian/index.html").read_text(encoding="utf-8")
    assert not (preview.output / "villages/xinwei/index.html").exists()  # not walked: not seen yet
    assert preview.walk_missed()
    assert not preview.build(["content"]).failed  # what the server asks for then
    assert "新来的村。" in (preview.output / "villages/xinwei/index.html").read_text(encoding="utf-8")
    assert not preview.walk_missed()  # that build walked: nothing to check
    edit(root / "content/villages/xinwei/index.md", "新来的村。", "新来的村，改过。")
    assert not preview.build(["content/villages/xinwei/index.md"]).failed
    assert not preview.walk_missed()  # told all there was
    assert "改过" in (preview.output / "villages/xinwei/index.html").read_text(encoding="utf-8")
    # site.yaml broken after a trusted build: one build says so, and the walk asks for no other.
    edit(root / "content/villages/xinwei/index.md", "改过", "又改过")
    assert not preview.build(["content/villages/xinwei/index.md"]).failed
    (root / "site.yaml").write_text("title: [\n", encoding="utf-8")
    assert preview.walk_missed()
    assert preview.build(["content"]).failed
    assert not preview.walk_missed()


def test_a_change_the_watcher_lost_is_built_after_the_reload(running):
    """The server walks content/ after each build that trusted the watcher, and builds what it lost."""
    root = running.preview.site_dir
    running.watcher.stop()  # from here on, events are lost; the test tells the server of one save
    edit(root / "content/villages/fengjian/index.md", "水乡正文。", "水乡的新正文。")
    edit(root / "content/villages/weilong/index.md", "title: 围龙村", "title: 围龙新村")
    running.watcher.changes.put({"content/villages/fengjian/index.md"})
    wait_for(lambda: "水乡的新正文。" in get(running.port, "/villages/fengjian/")[1].decode())
    wait_for(lambda: "围龙新村" in get(running.port, "/villages/weilong/")[1].decode())
    wait_for_build(running, 2)


@pytest.mark.parametrize(("command", "collecting"), [("serve", True), ("build", False)])
def test_the_villagesite_command_collects_garbage_while_serving_not_in_a_build_that_exits(
    site, monkeypatch, command, collecting
):
    """``villagesite`` switches the cyclic collector off for a command that builds once and exits (it
    exits without tearing down); the preview server, which lives on, collects as before."""
    import gc

    from villagesite import cli
    from villagesite import preview as preview_module

    root = site({"content/villages/a/index.md": village("甲村")})
    seen: list[bool] = []
    monkeypatch.setattr(preview_module, "serve", lambda *args, **kwargs: seen.append(gc.isenabled()) or 0)
    real_build = cli.build
    monkeypatch.setattr(
        cli, "build", lambda *args, **kwargs: seen.append(gc.isenabled()) or real_build(*args, **kwargs)
    )
    monkeypatch.setattr(sys, "argv", ["villagesite", command, "--site", str(root)])

    def exit_here(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", exit_here)
    try:
        with pytest.raises(SystemExit) as exited:
            cli.run()
    finally:
        gc.enable()
    assert exited.value.code == 0
    assert seen == [collecting]
