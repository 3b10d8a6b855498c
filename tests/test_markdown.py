"""Markdown bodies as visitors get them: tables, Chinese headings, footnotes, safe HTML, working links."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import markdown
from conftest import photo_bytes, run_cli, village
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import TocExtension

from villagesite import markdown_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from corpus import realistic_village  # noqa: E402 (the benchmarks' folder, added just above)

BODY = """## 历史沿革

见[沙湾古镇](../shawan/)、[关于](/pages/about.md)和[官网](https://example.org)。{: .lead }

| 名称 | 年代 |
|:--|--:|
| 祠堂 | 明 |

据记载[^1]。

![石桥与河涌](bridge.jpg "插画：石桥")

<script>alert("x")</script><b onclick="steal()">粗体</b><iframe src="https://evil.example"></iframe>
[点我](javascript:alert(1))

[^1]: 《顺德县志》。
"""


def build_one(site, body: str, base_url: str = "/"):
    root = site(
        {
            "site.yaml": f"title: 古村\nbase_url: {base_url}\n",
            "content/villages/fengjian/index.md": village("逢简村", body=body),
            "content/villages/fengjian/bridge.jpg": photo_bytes(),
            "content/villages/shawan/index.md": village("沙湾古镇"),
            "content/pages/about.md": "---\ntitle: 关于\n---\n",
        }
    )
    result = run_cli("build", "--site", root)
    return root, result


def test_markdown_features_render(site):
    root, result = build_one(site, BODY)
    assert result.code == 0, result.err
    page = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert '<h2 id="li-shi-yan-ge">历史沿革</h2>' in page
    assert '<th style="text-align:left">名称</th>' in page
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in page
    assert '<a class="footnote-backref" href="#fnref:1" title="返回正文第 1 处">' in page  # the theme's words
    assert '<p class="lead">' in page
    figure = re.search(r"<figure><picture>(.*?)</picture><figcaption>插画：石桥</figcaption></figure>", page)
    assert figure is not None
    assert 'alt="石桥与河涌"' in figure.group(1) and 'loading="lazy"' in figure.group(1)
    assert not (root / "output/villages/fengjian/bridge.jpg").exists()  # the original is never published


def test_content_links_are_resolved_under_base_url(site):
    root, result = build_one(site, BODY, base_url="/sub/")
    assert result.code == 0
    page = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert '<a href="/sub/villages/shawan/">沙湾古镇</a>' in page
    assert '<a href="/sub/about/">关于</a>' in page
    assert '<a href="https://example.org">官网</a>' in page
    assert re.search(r'srcset="/sub/img/bridge\.[0-9a-f]{10}\.64\.webp 64w"', page)


def test_raw_html_is_limited_to_a_safe_list(site):
    root, _ = build_one(site, BODY)
    page = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    body = page.split('<div class="prose">')[1].split("</div>\n\n")[0]
    assert "<script" not in body and "alert" not in body
    assert "onclick" not in body and "<iframe" not in body
    assert "javascript:" not in body
    assert "<b>粗体</b>" in body


def test_broken_link_is_a_warning_in_check_and_build_and_an_error_with_strict(site):
    body = "正文\n\n更多见[黄埔村](../huangpu/)。\n"
    root, result = build_one(site, body)
    message = "content/villages/fengjian/index.md:11: body: link '../huangpu/' leads to no page or file"
    assert result.code == 0
    assert message in result.err and "[warning]" in result.err
    checked = run_cli("check", "--site", root)
    assert checked.code == 0
    assert checked.err.splitlines()[0].startswith(message) and checked.err.splitlines()[0].endswith("[warning]")
    strict = run_cli("check", "--site", root, "--strict")
    assert strict.code == 1 and strict.err.splitlines()[0].startswith(message)


def test_missing_body_image_is_an_error_with_suggestion(site):
    root, result = build_one(site, "![石桥](brige.jpg)\n")
    assert result.code == 1
    assert (
        "content/villages/fengjian/index.md:9: body: image 'brige.jpg' is not in the page's folder (did you mean 'bridge.jpg'?)"
        in result.err
    )


def test_link_cannot_escape_the_content_folder(site):
    root, result = build_one(site, "[密码](../../../../etc/passwd) ![x](../../../site.yaml)\n")
    assert result.code == 1
    assert not (root / "output").exists()


def test_front_matter_text_is_escaped(site):
    root = site({"content/villages/a/index.md": village("<script>alert(1)</script>村")})
    assert run_cli("build", "--site", root).code == 0
    page = (root / "output/villages/a/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;村" in page


def test_misspelt_link_gets_the_closest_page(site):
    root, _ = build_one(site, "见[沙湾](../shawn/)与[沙湾](../shawan)。\n")
    checked = run_cli("check", "--site", root)
    assert checked.err.splitlines() == [
        "content/villages/fengjian/index.md:9: body: link '../shawn/' leads to no page or file (did you mean '/villages/shawan/'?) [warning]",
        "1 warning",
    ]


# Text made of what Markdown's inline patterns look for, and of what they do not.
MARKDOWN_PIECES = [
    "村",
    "古桥",
    "Village",
    " ",
    "  \n",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "__",
    "`",
    "``",
    "\\",
    "[",
    "]",
    "(",
    ")",
    "!",
    "<",
    ">",
    "&",
    "&amp;",
    "&#39;",
    "<b>",
    "</b>",
    "<https://example.org>",
    "<a@b.cn>",
    "[^1]",
    "[^1]: 注",
    "[桥](../shawan/)",
    "![石桥](bridge.jpg)",
    "[x]: /pages/about.md",
    "# ",
    "## 历史",
    "- ",
    "1. ",
    "> ",
    "{: .lead }",
    "[TOC]\n\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "```\ncode\n```\n",
    "*[HTML]: Hyper",
    "HTML",
    ":",
    "~",
    "^",
    "=",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=30).map("".join))
@example("古桥  \n村口")  # a line break alone
@example("古桥 &amp; 村口")
@example("古桥 <b>村口</b>")
@example("古桥 `村口`")
@example("古桥 \\*村口")
@example("古桥 _村口_")
def test_quick_inline_processing_changes_nothing(text):
    """Skipping text and patterns no inline pattern can match, and the table of contents no body places,
    give exactly Markdown's own output: the HTML and the headings' list."""
    used = markdown_html._converter()
    assert isinstance(used.treeprocessors["inline"], markdown_html._QuickInline)  # installed where it is checked
    assert isinstance(used.treeprocessors["toc"], markdown_html._BodyToc)
    assert isinstance(used.treeprocessors["attr_list"], markdown_html._BodyAttrList)
    # The same extensions, without the content links (they need a page): Markdown's own, and with the skips.
    stock = [
        TocExtension(slugify=markdown_html._heading_id, toc_depth="2-4")
        if isinstance(extension, markdown_html._BodyTocExtension)
        else extension
        for extension in markdown_html.standard_extensions()
    ]
    plain = markdown.Markdown(extensions=stock, output_format="html")
    quick = markdown.Markdown(extensions=markdown_html.standard_extensions(), output_format="html")
    quick.treeprocessors.register(markdown_html._QuickInline(quick), "inline", 20)
    quick.treeprocessors.register(markdown_html._BodyAttrList(quick), "attr_list", 8)
    for body in (text, EXAMPLE_BODIES[len(text) % len(EXAMPLE_BODIES)], REALISTIC[len(text) % len(REALISTIC)]):
        quick.reset()
        plain.reset()
        quick.treeprocessors["toc"].placed = "[TOC]" in body
        quick.treeprocessors["attr_list"].present = "{" in body
        assert quick.convert(body) == plain.convert(body)
        assert quick.toc_tokens == plain.toc_tokens


REALISTIC = [realistic_village(n, 10, random.Random(n)).split("\n---\n\n", 1)[1] for n in range(4)]
"""Bodies of the benchmark corpus: bold, emphasis, links, lists, a table, English (benchmarks/corpus.py)."""
EXAMPLE_BODIES = [BODY] + [
    path.read_text(encoding="utf-8").split("---\n", 2)[2]
    for path in sorted((Path(__file__).resolve().parents[1] / "content").rglob("*.md"))
]


def test_a_theme_words_the_footnotes_back_links_on_pages_and_in_the_feed(site):
    """The back link's title is the theme's string (a converted body is cached once for every language)."""
    story = "---\ntitle: 故事\ndate: 2026-05-01\nsummary: 一个故事。\n---\n\n正文[^1]，又一处[^2]。\n\n[^1]: 县志。\n[^2]: 族谱。\n"
    root = site(
        {
            "site.yaml": "title: 古村\nbase_url: https://example.org/\ntheme: mine\n",
            "themes/mine/theme.yaml": "name: mine\nextends: default\nstrings:\n  zh-Hans:\n    footnote_back: 回到第 N 个注释处\n",
            "content/villages/fengjian/index.md": village("逢简村"),
            "content/stories/s/index.md": story,
        }
    )
    assert run_cli("build", "--site", root).code == 0
    page = (root / "output/stories/s/index.html").read_text(encoding="utf-8")
    feed = (root / "output/feed.xml").read_text(encoding="utf-8")
    for n in (1, 2):
        assert f'href="#fnref:{n}" title="回到第 {n} 个注释处"' in page
        assert f'title="回到第 {n} 个注释处"&gt;' in feed
    assert "\ue000" not in page + feed and "footnote_back" not in page + feed
