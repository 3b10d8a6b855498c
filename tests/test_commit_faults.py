"""A commit that fails at any step leaves exactly the old site or exactly the new one; the next build
finishes (or has undone) it and writes what a clean build from the sources writes.

Each file-system call the commit makes (rename, replace, link, unlink, mkdir, opening a file to
write) is made to fail at its Nth call, for every N, in a whole write (``--clean``) and in an
incremental one of a site-wide change; then the process is killed (``os._exit``) at each rename,
replace and link instead.  Templates are compiled once for all the builds, to keep this fast.
"""

from __future__ import annotations

import builtins
import errno
import importlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import photo_bytes, snapshot, village, write_site

from villagesite import load_config
from villagesite.errors import VillageSiteError
from villagesite.template_cache import CompiledTemplates

build_module = importlib.import_module("villagesite.build")  # the package's `build` is the function
caches_module = importlib.import_module("villagesite.caches")
SITE = "title: 测试古村\nbase_url: https://example.org/\n"
CALLS = ("replace", "rename", "link", "unlink", "mkdir", "open")
KILLS = ("replace", "rename")


def old_site() -> dict[str, str | bytes]:
    return {
        "site.yaml": SITE,
        "content/villages/fengjian/index.md": village("逢简村", extra="cover: {src: gate.jpg, alt: 村口}\n"),
        "content/villages/fengjian/gate.jpg": photo_bytes(),
        "content/villages/shawan/index.md": village("沙湾古镇", city="广州市", lat=22.9, lon=113.33),
        "content/villages/weilong/index.md": village("围龙村", style="hakka", city="梅州市", lat=24.3, lon=116.1),
    }


def change(root: Path) -> None:
    """A site-wide change: the title on every page, a village gone, a new one in a new city."""
    (root / "site.yaml").write_text(SITE.replace("测试古村", "广东古村"), encoding="utf-8")
    shutil.rmtree(root / "content/villages/weilong")
    write_site(root, {"content/villages/zili/index.md": village("自力村", city="江门市", lat=22.28, lon=112.56)})


@pytest.fixture
def fast_tmp(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory where there is one: a hundred builds make and remove thousands of folders,
    about 0.2 ms each on a disk."""
    if not os.path.isdir("/dev/shm"):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="villagesite-faults-", dir="/dev/shm"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build compiles the templates once between them (Jinja checks each against its source)."""
    cache = CompiledTemplates()
    real = caches_module.make_environment

    def environment(chain, environment_class, **options):
        return real(chain, environment_class, **{**options, "bytecode_cache": cache})

    monkeypatch.setattr(caches_module, "make_environment", environment)


class Faults:
    """Counts the calls of one kind made while the output is written; the Nth one fails (or kills)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.active = False
        self.counts: dict[str, int] = {}
        self.fail: tuple[str, int] | None = None
        self.kill = False
        real_write = build_module.write_output

        def writing(*args, **kwargs):
            self.active = True
            try:
                return real_write(*args, **kwargs)
            finally:
                self.active = False

        monkeypatch.setattr(build_module, "write_output", writing)
        for name in CALLS[:-1]:
            monkeypatch.setattr(os, name, self._wrap(name, getattr(os, name)))
        real_open = builtins.open

        def opening(file, mode="r", *args, **kwargs):
            if any(flag in mode for flag in "wax+"):
                self._count("open", file)
            return real_open(file, mode, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", opening)
        monkeypatch.setattr(io, "open", opening)

    def _wrap(self, name: str, real: Callable) -> Callable:
        def call(*args, **kwargs):
            self._count(name, args[0] if args else None)
            return real(*args, **kwargs)

        return call

    def _count(self, name: str, path: object) -> None:
        if not self.active:
            return
        self.counts[name] = self.counts.get(name, 0) + 1
        if self.fail == (name, self.counts[name]):
            if self.kill:
                os._exit(9)
            raise OSError(errno.EACCES, "injected fault", str(path))

    @contextmanager
    def at(self, name: str, n: int, *, kill: bool = False) -> Iterator[None]:
        self.counts, self.fail, self.kill = {}, (name, n), kill
        try:
            yield
        finally:
            self.fail = None


def leftovers(folder: Path) -> list[str]:
    """What a commit leaves beside the output: staging, backup, journal, output.old."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".output", "..output", "output.")))


def prepare(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """The site built before the change (kept in ``pristine``, restored before each try), the old output
    and the new one, as a clean build of the changed sources with no cache at all writes it."""
    work, pristine, fresh = tmp_path / "work", tmp_path / "pristine", tmp_path / "fresh"
    write_site(work, old_site())
    build_module.build(load_config(work))
    old = snapshot(work / "output")
    change(work)
    shutil.copytree(work, pristine, symlinks=True)
    write_site(fresh, old_site())
    change(fresh)
    build_module.build(load_config(fresh), output=fresh / "clean")
    new = snapshot(fresh / "clean")
    assert old != new
    return work, pristine, old, new


def restore(work: Path, pristine: Path) -> None:
    """The output and the cache as they were after the old build (builds change nothing else)."""
    for stale in leftovers(work):
        shutil.rmtree(work / stale) if (work / stale).is_dir() else (work / stale).unlink()
    for name in ("output", ".villagesite-cache"):
        shutil.rmtree(work / name, ignore_errors=True)
        shutil.copytree(pristine / name, work / name, symlinks=True)


@pytest.mark.parametrize("clean", [True, False], ids=["whole", "incremental"])
def test_a_commit_failing_at_any_call_leaves_the_old_or_the_new_site(fast_tmp, monkeypatch, compiled_once, clean):
    work, pristine, old, new = prepare(fast_tmp)
    faults = Faults(monkeypatch)
    tried = 0
    for name in CALLS:
        n = 1
        while True:
            restore(work, pristine)
            with faults.at(name, n):
                try:
                    build_module.build(load_config(work), clean=clean)
                    failed = False
                except VillageSiteError as exc:
                    failed = True
                    assert "injected fault" in str(exc) or "permission denied" in str(exc), exc
            output = snapshot(work / "output")
            if not failed:
                assert output == new, (name, n)
                break
            tried += 1
            assert output in (old, new), f"{name} #{n}: the output is neither the old site nor the new one"
            build_module.build(load_config(work))  # no fault: finishes, or starts from what was undone
            assert snapshot(work / "output") == new, (name, n)
            assert leftovers(work) == [], (name, n)
            n += 1
    assert tried > 20  # the commit was cut at every step (about 40 calls at the least)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="kills a forked process")
@pytest.mark.parametrize("clean", [True, False], ids=["whole", "incremental"])
def test_a_build_killed_at_any_rename_is_finished_by_the_next(fast_tmp, monkeypatch, compiled_once, clean):
    """``kill -9`` between the two renames of a whole write, or amid the moves of a journal: the next
    build restores or completes the output and leaves no copy of the old one behind."""
    work, pristine, _, new = prepare(fast_tmp)
    faults = Faults(monkeypatch)
    killed = 0
    for name in KILLS:
        n = 1
        while True:
            restore(work, pristine)
            pid = os.fork()
            if pid == 0:  # the child builds and is killed at the Nth call; it never returns to pytest
                code = 0
                try:
                    with faults.at(name, n, kill=True):
                        build_module.build(load_config(work), clean=clean)
                except BaseException:  # noqa: BLE001
                    code = 1
                os._exit(code)
            _, status = os.waitpid(pid, 0)
            assert os.WIFEXITED(status), status
            if os.WEXITSTATUS(status) == 0:
                assert snapshot(work / "output") == new
                break
            assert os.WEXITSTATUS(status) == 9, (name, n)
            killed += 1
            build_module.build(load_config(work))
            assert snapshot(work / "output") == new, (name, n)
            assert leftovers(work) == [], (name, n)
            n += 1
    assert killed >= 3
