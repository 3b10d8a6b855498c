"""Whole builds of small sites: the pages, listings and files a visitor and a host get."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import photo_bytes, run_cli, snapshot, village

STORY = "---\ntitle: 一碗双皮奶\ndate: 2026-05-01\nsummary: 水乡的甜品。\nauthor: 阿梅\nvillages: [fengjian]\n---\n\n去[逢简](/villages/fengjian/)吃双皮奶。\n"
EVENT = "---\ntitle: 龙舟赛\nstart: 2027-06-09\nvillage: fengjian\nlocation: 逢简大桥\nsummary: 端午赛龙舟。\n---\n"


def three_villages() -> dict[str, str | bytes]:
    return {
        "content/villages/fengjian/index.md": village(
            "逢简村", extra="tags: [水乡, 岭南]\ncover: {src: cover.jpg, alt: 石桥}\n"
        ),
        "content/villages/fengjian/cover.jpg": photo_bytes(),
        "content/villages/shawan/index.md": village(
            "沙湾古镇", city="广州市", lat=22.9, lon=113.33, extra="tags: [水乡]\n"
        ),
        "content/villages/zili/index.md": village("自力村", city="江门市", lat=22.28, lon=112.56),
        "content/villages/weilong/index.md": village("围龙屋", style="hakka", city="梅州市", lat=24.3, lon=116.1),
        "content/stories/shuangpinai/index.md": STORY,
        "content/events/dragon-boat/index.md": EVENT,
        "content/pages/about.md": "---\ntitle: 关于本站\n---\n\n我们是谁。\n",
    }


def html(root: Path, rel: str) -> str:
    return (root / "output" / rel).read_text(encoding="utf-8")


def test_every_page_listing_and_machine_file_is_written(site):
    root = site(three_villages())
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    assert result.out.startswith("Built 4 villages, 1 story, 1 event, 1 page, ")
    files = set(snapshot(root / "output"))
    for rel in [
        "index.html",
        "villages/index.html",
        "villages/fengjian/index.html",
        "styles/cantonese/index.html",
        "styles/hakka/index.html",
        "styles/teochew/index.html",
        "styles/minority/index.html",
        "cities/index.html",
        "cities/foshan/index.html",
        "cities/guangzhou/index.html",
        "cities/meizhou/index.html",
        "tags/index.html",
        "tags/shui-xiang/index.html",
        "tags/ling-nan/index.html",
        "stories/index.html",
        "stories/shuangpinai/index.html",
        "events/index.html",
        "events/dragon-boat/index.html",
        "about/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",
    ]:
        assert rel in files, rel
    assert html(root, "styles/hakka/index.html").count('class="card ') == 1
    # The cover is published as variants; the original (with its EXIF) never is.
    assert "villages/fengjian/cover.jpg" not in files
    assert any(re.fullmatch(r"img/cover\.[0-9a-f]{10}\.64\.webp", rel) for rel in files)
    water = html(root, "tags/shui-xiang/index.html")
    assert "逢简村" in water and "沙湾古镇" in water and "自力村" not in water


def test_village_page_links_its_stories_events_and_neighbours(site):
    root = site(three_villages())
    assert run_cli("build", "--site", root).code == 0
    page = html(root, "villages/fengjian/index.html")
    assert '<a href="/stories/shuangpinai/">' in page
    assert '<a href="/events/dragon-boat/">' in page
    # Neighbours in the same style, nearest first; the Hakka village is not one.
    assert page.index('href="/villages/shawan/"') < page.index('href="/villages/zili/"')
    assert 'href="/villages/weilong/"' not in page.split("同风格的邻近古村")[1]
    story = html(root, "stories/shuangpinai/index.html")
    assert '<a href="/villages/fengjian/">逢简</a>' in story


def test_neighbours_are_within_a_day_trip_and_far_ones_are_more_of_the_style_not_nearby(site):
    root = site(
        {
            "content/villages/fengjian/index.md": village("逢简村", lat=22.81, lon=113.15),
            "content/villages/bijiang/index.md": village("碧江村", lat=22.85, lon=113.26),  # 12 km
            "content/villages/zili/index.md": village("自力村", lat=22.35, lon=112.57),  # 78 km
            "content/villages/far/index.md": village("远村", lat=25.9, lon=114.9),  # 390 km
            "content/villages/alone/index.md": village("孤村", style="hakka", lat=24.3, lon=116.1),
            "content/villages/faraway/index.md": village("遥村", style="hakka", lat=21.3, lon=110.3),
        }
    )
    assert run_cli("build", "--site", root).code == 0
    nearby = html(root, "villages/fengjian/index.html").split('id="nearby-heading">')[1].split("</section>")[0]
    assert nearby.startswith("同风格的邻近古村</h2>")
    assert nearby.index("碧江村") < nearby.index("自力村") and "远村" not in nearby
    assert re.search(r"自力村.*?<span class=\"distance\">7\d 公里</span>", nearby)
    assert 'href="/styles/cantonese/">广府古村落 →</a>' in nearby
    # The only other Hakka village is 690 km away: offered as more of the style, never as nearby.
    more = html(root, "villages/alone/index.html").split('id="nearby-heading">')[1].split("</section>")[0]
    assert more.startswith("更多客家古村</h2>") and "遥村" in more and "邻近" not in more


def test_links_work_under_a_sub_path_and_sitemap_is_absolute_with_a_host(site):
    files = three_villages()
    files["site.yaml"] = "title: 古村\nbase_url: https://example.org/guangdong/\n"
    root = site(files)
    assert run_cli("build", "--site", root).code == 0
    page = html(root, "villages/fengjian/index.html")
    assert 'href="/guangdong/villages/shawan/"' in page
    assert re.search(r'srcset="/guangdong/img/cover\.[0-9a-f]{10}\.64\.webp 64w"', page)
    assert '<link rel="canonical" href="https://example.org/guangdong/villages/fengjian/">' in page
    locs = [
        el.text
        for el in ET.fromstring(html(root, "sitemap.xml")).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert "https://example.org/guangdong/villages/fengjian/" in locs
    assert all(loc.startswith("https://example.org/guangdong/") for loc in locs)
    assert "https://example.org/guangdong/404.html" not in locs
    assert "Sitemap: https://example.org/guangdong/sitemap.xml" in html(root, "robots.txt")


def test_sitemap_has_paths_when_base_url_has_no_host(site):
    files = three_villages()
    files["site.yaml"] = "title: 古村\nbase_url: /sub/\n"
    root = site(files)
    assert run_cli("build", "--site", root).code == 0
    assert "<loc>/sub/villages/fengjian/</loc>" in html(root, "sitemap.xml")
    assert "Sitemap:" not in html(root, "robots.txt")


def test_feed_is_atom_with_the_stories(site):
    root = site(three_villages())
    assert run_cli("build", "--site", root).code == 0
    feed = ET.fromstring(html(root, "feed.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == ["一碗双皮奶"]
    assert feed.findtext("a:updated", namespaces=ns) == "2026-05-01T00:00:00+08:00"
    assert "双皮奶" in entries[0].findtext("a:content", namespaces=ns)


def test_drafts_are_built_only_with_the_flag(site):
    files = three_villages()
    files["content/villages/secret/index.md"] = village("未完成村", extra="draft: true\ntags: [秘密]\n")
    root = site(files)
    assert run_cli("build", "--site", root).code == 0
    everything = b"".join(snapshot(root / "output").values()).decode("utf-8", "ignore")
    assert "未完成村" not in everything and "secret" not in everything and "秘密" not in everything
    assert run_cli("build", "--site", root, "--drafts").code == 0
    assert "未完成村" in html(root, "villages/secret/index.html")


def test_same_input_gives_the_same_bytes(site, tmp_path: Path):
    root = site(three_villages())
    assert run_cli("build", "--site", root, "--output", tmp_path / "one").code == 0
    assert run_cli("build", "--site", root, "--output", tmp_path / "two").code == 0
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_pinyin_slug_when_the_folder_is_not_one(site):
    root = site({"content/villages/逢简村/index.md": village("逢简村")})
    assert run_cli("build", "--site", root).code == 0
    assert (root / "output/villages/feng-jian-cun/index.html").is_file()


def test_two_pages_with_the_same_pinyin_are_an_error_naming_both(site):
    root = site(
        {
            "content/villages/逢简村/index.md": village("逢简村"),
            "content/villages/feng-jian-cun/index.md": village("另一个村"),
        }
    )
    result = run_cli("check", "--site", root)
    assert result.code == 1
    assert (
        "content/villages/逢简村/index.md:1: slug: the URL slug 'feng-jian-cun' is also used by "
        "content/villages/feng-jian-cun/index.md"
    ) in result.err


def test_free_page_cannot_take_a_site_url(site):
    root = site({"content/pages/villages.md": "---\ntitle: 村\n---\n"})
    result = run_cli("check", "--site", root)
    assert "content/pages/villages.md: slug: the URL /villages/ is used by the site itself" in result.err


def test_site_static_folder_is_copied_as_is(site):
    files = three_villages()
    files["static/CNAME"] = "villages.example.org\n"
    root = site(files)
    assert run_cli("build", "--site", root).code == 0
    assert html(root, "CNAME") == "villages.example.org\n"


def test_static_file_that_collides_with_a_page_is_an_error(site):
    files = three_villages()
    files["static/about/index.html"] = "<p>old</p>"
    root = site(files)
    result = run_cli("build", "--site", root)
    assert result.code == 1
    assert "static/about/index.html: writes about/index.html, which another page or file also writes" in result.err


def test_summary_past_120_characters_is_a_warning(site):
    long = "很" * 130
    root = site({"content/villages/a/index.md": village("甲村").replace("summary: 甲村的简介。", f"summary: {long}")})
    result = run_cli("build", "--site", root)
    assert result.code == 0
    assert "summary: is 130 characters long; keep it under 120" in result.err


def test_story_naming_a_draft_village_builds_without_it(site):
    files = three_villages()
    files["content/villages/secret/index.md"] = village("未完成村", extra="draft: true\n")
    files["content/stories/shuangpinai/index.md"] = STORY.replace(
        "villages: [fengjian]", "villages: [fengjian, secret]"
    )
    root = site(files)
    assert run_cli("check", "--site", root).code == 0
    assert run_cli("build", "--site", root).code == 0
    assert "未完成村" not in html(root, "stories/shuangpinai/index.html")


def test_a_draft_that_would_collide_is_caught_before_it_is_published(site):
    files = three_villages()
    files["content/villages/copy/index.md"] = village("复制", extra="draft: true\nslug: fengjian\n")
    root = site(files)
    result = run_cli("check", "--site", root)
    assert result.code == 1
    assert (
        "content/villages/copy/index.md:8: slug: the URL slug 'fengjian' is also used by content/villages/fengjian/index.md"
        in result.err
    )


def test_a_link_to_a_file_outside_the_site_is_an_error_and_never_published(site, tmp_path: Path):
    secret = tmp_path / "home-position.txt"
    secret.write_text("22.81,113.15")
    root = site(three_villages())
    (root / "content/villages/fengjian/notes.txt").symlink_to(secret)
    result = run_cli("build", "--site", root)
    assert result.code == 1
    assert (
        f"content/villages/fengjian/notes.txt: is a link to {secret}, outside the site folder: villagesite reads and "
        "publishes only files inside it (copy the file or folder into the site instead of linking to it)"
    ) in result.err
    assert not (root / "output").exists()


def test_long_listings_are_split_into_linked_pages(site):
    files: dict[str, str | bytes] = {
        f"content/villages/v{i:03d}/index.md": village(f"村{i:03d}", lat=22 + i / 1000, extra="tags: [水乡]\n")
        for i in range(130)
    }
    root = site(files)
    assert run_cli("build", "--site", root).code == 0
    first, second, third = (
        html(root, rel)
        for rel in (
            "tags/shui-xiang/index.html",
            "tags/shui-xiang/page/2/index.html",
            "tags/shui-xiang/page/3/index.html",
        )
    )
    assert (
        first.count('class="card ') == 60 and second.count('class="card ') == 60 and third.count('class="card ') == 10
    )
    assert '<link rel="next" href="/tags/shui-xiang/page/2/">' in first and 'rel="prev"' not in first
    assert (
        '<link rel="prev" href="/tags/shui-xiang/">' in second
        and '<link rel="next" href="/tags/shui-xiang/page/3/">' in second
    )
    assert '<a aria-current="page" href="/tags/shui-xiang/page/2/">2</a>' in second
    assert "<title>水乡（第 2 页） · 测试古村</title>" in second
    assert "<loc>/tags/shui-xiang/page/3/</loc>" in html(root, "sitemap.xml")
    assert not (root / "output/tags/shui-xiang/page/4").exists()


def test_an_event_ending_on_the_day_it_starts_is_valid(site):
    files = three_villages()
    files["content/events/dragon-boat/index.md"] = EVENT.replace(
        "start: 2027-06-09", "start: 2027-06-09T09:30\nend: 2027-06-09"
    )
    root = site(files)
    assert run_cli("check", "--site", root).code == 0
    page = html(root, "events/dragon-boat/index.html") if run_cli("build", "--site", root).code == 0 else ""
    assert "2027年6月9日 09:30" in page
