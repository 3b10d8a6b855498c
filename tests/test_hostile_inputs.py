"""A corpus of hostile and broken sites, each run through check, build, build --clean and the preview.

Every case is a good site plus the bad input.  Whatever the input:
no traceback; each problem names the file (and the line, where there is
one); a failed build leaves the last good output byte for byte; a build
that succeeds equals a clean build of the same sources into a new folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import photo_bytes, run_cli, snapshot, village, write_site

from villagesite.preview import Preview


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    """Symbolic links to make: path in the site -> target ('{outside}' is a folder outside the site)."""
    expect: tuple[str, ...] = ()
    """Lines (or parts of lines) that check must print."""
    fails: bool = True
    """Whether the problem is an error (the build must fail) or only a warning."""


EVIL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">'
    b"<script>document.title='pwned'</script>"
    b'<rect width="10" height="10" fill="url(#g)" onclick="alert(2)"/>'
    b'<a xlink:href="javascript:alert(3)"><circle r="4"/></a>'
    b'<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(4)</script></body></foreignObject>'
    b'<image href="https://tracker.example/p.png"/>'
    b'<use href="other.svg#x"/>'
    b"</svg>"
)
BILLION_LAUGHS_SVG = (
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
)
GPX_WITH_SCRIPT = (
    b'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1">'
    b'<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script></gpx>'
)
A = "content/villages/a"

CASES: dict[str, Case] = {
    "html file in a bundle": Case(
        {f"{A}/evil.html": "<script>alert(1)</script>", f"{A}/index.md": village(body="[地图](evil.html)")},
        expect=(f"{A}/evil.html: a page folder cannot publish .html files",),
    ),
    "script in a bundle": Case(
        {f"{A}/app.js": "alert(1)"}, expect=(f"{A}/app.js: a page folder cannot publish .js files",)
    ),
    "xml in a bundle": Case({f"{A}/feed.xml": "<a/>"}, expect=(f"{A}/feed.xml: a page folder cannot publish .xml",)),
    "svg with script and handlers": Case(
        {f"{A}/evil.svg": EVIL_SVG, f"{A}/index.md": village(body="[地图](evil.svg)")},
        expect=(f"{A}/evil.svg: held what a browser would run or fetch",),
        fails=False,
    ),
    "svg declaring entities": Case(
        {f"{A}/laughs.svg": BILLION_LAUGHS_SVG},
        expect=(f"{A}/laughs.svg: is not published: it declares a document type or entities",),
    ),
    "svg that is not svg": Case(
        {f"{A}/fake.svg": b"<html><script>alert(1)</script></html>"},
        expect=(f"{A}/fake.svg: is not published: it is not an SVG drawing",),
    ),
    "gpx with html inside": Case(
        {f"{A}/route.gpx": GPX_WITH_SCRIPT}, expect=(f"{A}/route.gpx: is not published: it holds HTML",)
    ),
    "unknown file type": Case(
        {f"{A}/notes.pages": b"x"}, expect=(f"{A}/notes.pages: is not a kind of file a page publishes",), fails=False
    ),
    "static file linked from outside": Case(
        links={"static/passwd.txt": "{outside}/secret.txt"},
        expect=("static/passwd.txt: is a link to ", "outside the site folder"),
    ),
    "static folder linked from outside": Case(
        links={"static/docs": "{outside}"}, expect=("static/docs: is a link to ",)
    ),
    "village folder linked from outside": Case(
        links={"content/villages/elsewhere": "{outside}"},
        expect=("content/villages/elsewhere: is a link to ", "outside the site folder"),
    ),
    "photo linked from outside": Case(
        links={f"{A}/cover.jpg": "{outside}/photo.jpg"}, expect=(f"{A}/cover.jpg: is a link to ",)
    ),
    "data file linked from outside": Case(
        links={"content/data/partners.yaml": "{outside}/secret.txt"},
        expect=("content/data/partners.yaml: is a link to ",),
    ),
    "link loop in a bundle": Case(
        links={f"{A}/loop": "loop"}, expect=(f"{A}/loop: is a link that leads round in a loop",)
    ),
    "link loop as a village": Case(
        links={"content/villages/loop": "loop"},
        expect=("content/villages/loop: is a link that leads round in a loop",),
    ),
    "link to nothing": Case(
        links={f"{A}/gone.pdf": "nowhere.pdf"}, expect=(f"{A}/gone.pdf: is a link to 'nowhere.pdf'",)
    ),
    "link back up to its own folder": Case(
        links={f"{A}/up": ".."}, fails=False
    ),  # inside the site: allowed, and walked once
    "photo shared through a link inside the site": Case(
        {"shared/cover.jpg": photo_bytes(), f"{A}/index.md": village(extra="cover: {src: cover.jpg, alt: 石桥}\n")},
        links={f"{A}/cover.jpg": "{site}/shared/cover.jpg"},
        fails=False,
    ),
}


def front(extra: str, body: str = "正文。") -> str:
    """Village a's page with ``extra`` front-matter lines (after line 6: title, style, city, location, summary)."""
    return village(extra=extra, body=body)


LAUGHS = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9) if n else ', '.join(['lol'] * 9)}]\n" for n in range(9))
CASES.update(
    {
        "a 5,000-digit year": Case(
            {f"{A}/index.md": front("founded: " + "1" * 5000 + "\n")}, expect=(f"{A}/index.md:7: founded: ",)
        ),
        "a 5,000-digit latitude": Case(
            {f"{A}/index.md": village().replace("lat: 22.81", "lat: " + "9" * 5000)},
            expect=(f"{A}/index.md:5: location.lat: ",),
        ),
        "a list nested 5,000 deep": Case(
            {f"{A}/index.md": front("tags: " + "[" * 5000 + "]" * 5000 + "\n")},
            expect=(f"{A}/index.md:7: tags: lists and groups of fields are nested more than 50 deep",),
        ),
        "a lone surrogate": Case(
            {f"{A}/index.md": front('town: "\\ud800镇"\n')}, expect=(f"{A}/index.md:7: town: contains U+D800",)
        ),
        "aliases expanding to billions (front matter)": Case(
            {f"{A}/index.md": front(LAUGHS)}, expect=(f"{A}/index.md:", "is copied by aliases into more than")
        ),
        "aliases expanding to billions (site.yaml)": Case(
            {"site.yaml": "title: 测试\nbase_url: /\n" + LAUGHS.replace("l", "x")},
            expect=("site.yaml:", "is copied by aliases into more than"),
        ),
        "an unclosed quote": Case(
            {f"{A}/index.md": front('town: "杏坛镇\n', body="\n".join(f"第{i}段。" for i in range(50)))},
            expect=(f"{A}/index.md:7: ", "never closed"),
        ),
        "a key written twice": Case(
            {f"{A}/index.md": front("title: 又一个名字\n")},
            expect=(f"{A}/index.md:7: title: appears twice: lines 2 and 7",),
        ),
        "an escape character typed into the front matter": Case(
            {f"{A}/index.md": front("town: 杏坛\x1b镇\n")}, expect=(f"{A}/index.md:7: a control character U+001B",)
        ),
        "a stray --- between fields": Case(
            {f"{A}/index.md": village().replace("summary:", "---\nsummary:")},
            expect=(f"{A}/index.md:6: the front matter ends at line 6",),
        ),
        "a binary tag": Case(
            {f"{A}/index.md": village().replace("title: 逢简村", "title: !!binary 6YCi566A5p2R")},
            expect=(f"{A}/index.md:2: ",),
        ),
        "escaped control characters in a value": Case(
            {f"{A}/index.md": front('town: "杏坛\\0\\e\\a"\n')}, expect=(f"{A}/index.md:7: town: ",)
        ),
        "control characters in the body": Case(
            {f"{A}/index.md": front("", body="第一段。\n\n第二\x1b段\x00。")},
            expect=(f"{A}/index.md:11: body: a control character U+001B that is not text was left out",),
            fails=False,
        ),
        "themes that extend each other": Case(
            {
                "site.yaml": "title: 测试\nbase_url: /\ntheme: a\n",
                "themes/a/theme.yaml": "name: a\nextends: b\n",
                "themes/b/theme.yaml": "name: b\nextends: a\n",
            },
            expect=("themes/", "a loop"),
        ),
        "a photo cut short": Case(
            {
                f"{A}/index.md": front("cover: {src: cover.jpg, alt: 石桥}\n"),
                f"{A}/cover.jpg": photo_bytes(640, 480)[:1500],
            },
            expect=(f"{A}/index.md:7: cover.src: image 'cover.jpg' is cut short",),
        ),
        "a file that is not UTF-8": Case(
            {f"{A}/index.md": village("逢简村", body="广府水乡。" * 20).encode("gb18030")}, expect=(f"{A}/index.md",)
        ),
    }
)

GOOD = {
    f"{A}/index.md": village(),
    f"{A}/guide.pdf": b"%PDF-1.4 a small guide",
    "content/villages/b/index.md": village("南岗村", style="minority", lat=24.5, lon=112.3),
    "static/robots-note.txt": "hello",
}
PROBLEM_LINE = re.compile(r"^(\S+?)(:\d+)?: ")


def make_case(tmp_path: Path, case: Case) -> tuple[Path, Path]:
    root = write_site(tmp_path / "site", GOOD)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:secret\n")
    (outside / "photo.jpg").write_bytes(photo_bytes())
    (outside / "index.md").write_text(village("外村"), encoding="utf-8")
    return root, outside


def apply(root: Path, outside: Path, case: Case) -> None:
    write_site(root, case.files)
    for rel, target in case.links.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target.replace("{outside}", str(outside)).replace("{site}", str(root)), path)


def problems_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if PROBLEM_LINE.match(line)]


@pytest.mark.parametrize("name", CASES)
def test_hostile_input(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    case = CASES[name]
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    root, outside = make_case(tmp_path, case)
    assert run_cli("build", "--site", root).code == 0
    good = snapshot(root / "output")
    apply(root, outside, case)

    checked = run_cli("check", "--site", root)
    assert "Traceback" not in checked.out + checked.err
    printed = problems_of(checked.out + checked.err)
    for expected in case.expect:
        assert any(expected in line for line in printed), (expected, checked.out + checked.err)
    for line in printed:  # every problem names a file of the site
        where = PROBLEM_LINE.match(line).group(1)
        assert (root / where).exists() or (root / where).is_symlink(), line
    assert (checked.code == 1) == case.fails, checked.out + checked.err

    for clean in (False, True):
        built = run_cli("build", "--site", root, *(["--clean"] if clean else []))
        assert "Traceback" not in built.out + built.err
        if case.fails:
            assert built.code == 1, built.out
            assert snapshot(root / "output") == good, "a failed build changed the output"
        else:
            assert built.code == 0, built.err
            fresh = tmp_path / f"fresh-{clean}"
            monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / f"cache-{clean}"))
            assert run_cli("build", "--site", root, "--output", fresh).code == 0
            monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
            assert snapshot(root / "output") == snapshot(fresh)
            for path in (root / "output").rglob("*"):  # nothing from outside the site was published
                assert not path.is_file() or b"root:x:0:0" not in path.read_bytes(), path

    preview = Preview(root, output=tmp_path / "preview")
    try:
        outcome = preview.build()
        assert outcome.failed == case.fails
        assert "Traceback" not in outcome.message
    finally:
        preview.close()


def test_a_cleaned_svg_keeps_its_drawing_and_loses_everything_that_runs_or_fetches(tmp_path, monkeypatch):
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    root = write_site(tmp_path / "site", {**GOOD, f"{A}/evil.svg": EVIL_SVG})
    assert run_cli("build", "--site", root).code == 0
    published = (root / "output/villages/a/evil.svg").read_text(encoding="utf-8")
    for gone in ("script", "onload", "onclick", "javascript:", "foreignObject", "tracker.example", "other.svg"):
        assert gone not in published, gone
    for kept in ("<rect", 'fill="url(#g)"', "<circle"):
        assert kept in published, kept
    plain = b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0L1 1"/></svg>'
    (root / A / "evil.svg").write_bytes(plain)
    assert run_cli("build", "--site", root).code == 0
    assert (root / "output/villages/a/evil.svg").read_bytes() == plain  # a clean drawing is published as it is
