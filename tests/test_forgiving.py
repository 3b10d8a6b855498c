"""The mistakes Chinese editors make, caught at their line; what costs nothing, forgiven; nothing
unfinished published by accident."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import photo_bytes, run_cli, village, write_site

from villagesite.build import build
from villagesite.config import load_config
from villagesite.errors import VillageSiteError

PAGE = "content/villages/fengjian/index.md"


def problems_of(root: Path) -> list[str]:
    result = run_cli("check", "--site", root)
    return result.err.splitlines()


def page(front: str, body: str = "正文。") -> str:
    return f"---\n{front}---\n\n{body}\n"


FRONT = "title: 逢简村\nstyle: cantonese\ncity: 佛山市\nlocation: {lat: 22.81, lon: 113.15}\nsummary: 顺德水乡。\n"


# -- Full-width punctuation ------------------------------------------------------------------------


def test_a_full_width_colon_after_a_field_name_is_reported_at_its_own_line(tmp_path: Path):
    root = write_site(tmp_path, {PAGE: page(FRONT + "founded：宋代\ntags: [水乡]\n")})
    lines = problems_of(root)
    assert any(line.startswith(f"{PAGE}:7: ") and "'：'" in line and "founded: 宋代" in line for line in lines), lines


def test_a_full_width_colon_in_a_group_is_reported_at_its_own_line(tmp_path: Path):
    front = "title: 逢简村\nstyle: cantonese\ncity: 佛山市\nlocation:\n  lat：22.81\n  lon: 113.15\nsummary: 水乡。\n"
    lines = problems_of(write_site(tmp_path, {PAGE: page(front)}))
    assert any(line.startswith(f"{PAGE}:6: ") and "lat: 22.81" in line for line in lines), lines


@pytest.mark.parametrize("separator", ["，", "、"])
def test_a_full_width_comma_in_a_list_is_a_warning_naming_the_fix(tmp_path: Path, separator: str):
    root = write_site(tmp_path, {PAGE: page(FRONT + f"tags: [水乡{separator}岭南]\n")})
    result = run_cli("check", "--site", root)
    assert result.code == 0, result.err
    line = next(x for x in result.err.splitlines() if x.startswith(f"{PAGE}:7: tags"))
    assert "[warning]" in line and "[水乡, 岭南]" in line


def test_full_width_brackets_around_a_list_are_reported_with_the_list_as_it_should_be(tmp_path: Path):
    root = write_site(tmp_path, {PAGE: page(FRONT + "tags: 【水乡，岭南】\n")})
    lines = problems_of(root)
    assert any(line.startswith(f"{PAGE}:7: tags: ") and "[水乡, 岭南]" in line for line in lines), lines


def test_chinese_quotes_around_a_value_are_read_as_quotes_with_a_warning(tmp_path: Path):
    root = write_site(tmp_path, {PAGE: page(FRONT.replace("summary: 顺德水乡。", "summary: “顺德水乡。”"))})
    result = run_cli("check", "--site", root)
    assert result.code == 0, result.err
    assert any(x.startswith(f"{PAGE}:6: summary: ") and "[warning]" in x for x in result.err.splitlines())
    build(load_config(root))
    html = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert "顺德水乡。" in html and "“顺德水乡。”" not in html


def test_an_unclosed_bracket_is_reported_where_it_opens(tmp_path: Path):
    root = write_site(tmp_path, {PAGE: page(FRONT + "tags: [水乡, 岭南\ndate: 2024-01-01\n")})
    lines = problems_of(root)
    assert any(line.startswith(f"{PAGE}:7: ") and "'['" in line for line in lines), lines


# -- Chinese names of the choices ------------------------------------------------------------------


@pytest.mark.parametrize(("written", "style"), [("广府", "cantonese"), ("客家", "hakka"), ("潮汕", "teochew")])
def test_the_chinese_name_of_a_style_is_accepted(tmp_path: Path, written: str, style: str):
    root = write_site(tmp_path, {PAGE: village(style=written)})
    assert run_cli("check", "--site", root).code == 0
    build(load_config(root))
    assert (root / f"output/styles/{style}/index.html").exists()


def test_the_chinese_names_of_a_village_kind_and_a_place_kind_are_accepted(tmp_path: Path):
    root = write_site(
        tmp_path,
        {
            PAGE: village(extra="kind: 古镇\n"),
            "content/places/apo/index.md": page(
                "title: 阿婆民宿\nkind: 民宿\nvillage: fengjian\nsummary: 河边的老屋民宿。\npayment: [微信, 现金]\n"
            ),
        },
    )
    result = run_cli("check", "--site", root)
    assert result.code == 0, result.err
    build(load_config(root))
    assert (root / "output/places/homestay/index.html").exists()


# -- The plain cover, and alt text as a warning ---------------------------------------------------


def test_a_plain_cover_builds_and_missing_alt_text_is_a_warning_at_its_line(tmp_path: Path):
    root = write_site(
        tmp_path, {PAGE: village(extra="cover: cover.jpg\n"), "content/villages/fengjian/cover.jpg": photo_bytes()}
    )
    result = run_cli("check", "--site", root)
    assert result.code == 0, result.err
    line = next(x for x in result.err.splitlines() if x.startswith(f"{PAGE}:7: cover"))
    assert "[warning]" in line and "alt" in line
    build(load_config(root))
    html = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert 'alt="逢简村"' in html  # the page's title until the alt text is written


def test_a_cover_without_alt_uses_its_caption(tmp_path: Path):
    root = write_site(
        tmp_path,
        {
            PAGE: village(extra="cover: {src: cover.jpg, caption: 河涌上的明代石桥}\n"),
            "content/villages/fengjian/cover.jpg": photo_bytes(),
        },
    )
    build(load_config(root))
    html = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert 'alt="河涌上的明代石桥"' in html


# -- One answer from check and build ---------------------------------------------------------------


def test_a_broken_link_is_a_warning_in_check_and_build_and_an_error_with_strict(tmp_path: Path):
    root = write_site(tmp_path, {PAGE: village(body="见[沙湾](../shawan/)。")})
    checked = run_cli("check", "--site", root)
    built = run_cli("build", "--site", root)
    assert checked.code == 0 and built.code == 0
    for text in (checked.err, built.err):
        assert f"{PAGE}:9: body: link '../shawan/' leads to no page or file" in text and "[warning]" in text
    (root / "output").rename(root / "published")
    strict = run_cli("check", "--site", root, "--strict")
    assert strict.code == 1 and "[warning]" not in strict.err
    strict_build = run_cli("build", "--site", root, "--strict")
    assert strict_build.code == 1 and not (root / "output").exists()  # nothing published


def test_did_you_mean_suggests_a_page_with_a_similar_name_never_an_unrelated_one(tmp_path: Path):
    root = write_site(
        tmp_path,
        {
            "content/villages/shawan/index.md": village("沙湾古镇"),
            "content/villages/nanshe/index.md": village("南社村"),
            PAGE: village(body="见[沙湾](../shawn/)和[别处](../xinhui/)。"),
        },
    )
    lines = [x for x in problems_of(root) if x.startswith(PAGE)]
    near = next(x for x in lines if "'../shawn/'" in x)
    far = next(x for x in lines if "'../xinhui/'" in x)
    assert "shawan" in near
    assert "did you mean" not in far and "nanshe" not in far


def test_front_matter_errors_do_not_hide_body_errors(tmp_path: Path):
    root = write_site(
        tmp_path,
        {
            PAGE: village(style="cantonse", body="![](missing.jpg)\n\n见[沙湾](../shawan/)。"),
        },
    )
    lines = problems_of(root)
    assert any("style:" in x and "cantonse" in x for x in lines), lines
    assert any("missing.jpg" in x for x in lines), lines
    assert any("../shawan/" in x for x in lines), lines


# -- Nothing unfinished published by accident -------------------------------------------------------


def test_scaffold_placeholders_are_warnings_with_their_lines(tmp_path: Path):
    assert run_cli("init", tmp_path / "site").code == 0
    root = tmp_path / "site"
    assert run_cli("new", "village", "逢简村", "--site", root).code == 0
    made = root / "content/villages/feng-jian-cun/index.md"
    made.write_text(made.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    result = run_cli("check", "--site", root)
    lines = result.err.splitlines()
    assert result.code == 0, result.err
    assert any(x.startswith("site.yaml:3: description: ") for x in lines), lines
    assert any(x.startswith("content/villages/sample/index.md:8: summary: ") for x in lines), lines
    assert any(x.startswith("content/villages/sample/index.md:") and "villagesite serve" in x for x in lines), lines
    text = made.read_text(encoding="utf-8").splitlines()
    summary = next(i for i, x in enumerate(text, 1) if x.startswith("summary:"))
    location = next(i for i, x in enumerate(text, 1) if x.startswith("location:"))
    history = next(i for i, x in enumerate(text, 1) if x.startswith("在这里写村子的历史"))
    made_rel = "content/villages/feng-jian-cun/index.md"
    assert any(x.startswith(f"{made_rel}:{summary}: summary: ") for x in lines), lines
    assert any(x.startswith(f"{made_rel}:{location}: location: ") for x in lines), lines
    assert any(x.startswith(f"{made_rel}:{history}: ") and "在这里写村子的历史" in x for x in lines), lines


def test_a_draft_keeps_its_placeholders_quietly(tmp_path: Path):
    assert run_cli("init", tmp_path / "site").code == 0
    root = tmp_path / "site"
    assert run_cli("new", "village", "逢简村", "--site", root).code == 0
    lines = problems_of(root)
    assert not any("feng-jian-cun" in x for x in lines), lines


def test_a_base_url_without_a_host_is_said_once_in_the_terminal(tmp_path: Path):
    root = write_site(tmp_path, {"site.yaml": "title: 古村\n\nbase_url: /\n", PAGE: village()})
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    warnings = [x for x in result.err.splitlines() if "base_url" in x]
    assert len(warnings) == 1 and warnings[0].startswith("site.yaml:3: base_url: has no host")
    assert "QR" in warnings[0] and "og:url" in warnings[0] and "sitemap" in warnings[0]
    hosted = write_site(
        tmp_path / "hosted", {"site.yaml": "title: 古村\nbase_url: https://example.org/\n", PAGE: village()}
    )
    assert "base_url" not in run_cli("build", "--site", hosted).err


def test_strict_build_of_a_site_with_warnings_leaves_the_last_output(tmp_path: Path):
    root = write_site(tmp_path, {"site.yaml": "title: 古村\nbase_url: https://example.org/\n", PAGE: village()})
    assert run_cli("build", "--site", root, "--strict").code == 0
    before = (root / "output/index.html").read_bytes()
    (root / PAGE).write_text(village(body="见[沙湾](../shawan/)。改过了。"), encoding="utf-8")
    with pytest.raises(VillageSiteError):
        build(load_config(root), strict=True)
    assert (root / "output/index.html").read_bytes() == before
    assert "改过了" not in (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")


def test_a_gallery_photo_without_alt_is_a_warning_and_builds(tmp_path: Path):
    root = write_site(
        tmp_path,
        {
            PAGE: village(extra="gallery:\n  - src: a.jpg\n    caption: 祠堂前的半月池\n"),
            "content/villages/fengjian/a.jpg": photo_bytes(),
        },
    )
    result = run_cli("check", "--site", root)
    assert result.code == 0, result.err
    assert f"{PAGE}:8: gallery[0].alt: is missing;" in result.err and "[warning]" in result.err
    build(load_config(root))
    assert 'alt="祠堂前的半月池"' in (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
