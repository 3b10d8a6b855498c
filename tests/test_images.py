"""Phone photos in, what a visitor's phone should download out: upright, small, responsive, no metadata."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import photo_bytes, run_cli, snapshot, village
from photos import BLUE, RED, heic, jpeg, phone_jpeg, png_with_alpha, tagged_red_jpeg
from PIL import Image

from villagesite import build, load_config

SITE = "title: 古村\nimages:\n  widths: [40, 80, 160]\n  formats: [avif, webp, jpeg]\n"
COVER = "cover: {src: cover.jpg, alt: 石桥与河涌}\n"


def photo_site(site, **extra_files: bytes | str) -> Path:
    files: dict[str, str | bytes] = {
        "site.yaml": SITE,
        "content/villages/fengjian/index.md": village(
            "逢简村", extra=COVER, body='![祠堂正门](石桥.jpg "插画：祠堂")\n'
        ),
        "content/villages/fengjian/cover.jpg": phone_jpeg(120, 240, orientation=6),
        "content/villages/fengjian/石桥.jpg": jpeg(300, 200),
    }
    files.update(extra_files)
    return site(files)


def size_of(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def variants(root: Path, stem: str) -> list[Path]:
    return sorted((root / "output/img").glob(f"{stem}.*"))


def test_cover_is_upright_responsive_and_free_of_metadata(site):
    root = photo_site(site)
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    files = variants(root, "cover")
    # 120x240 upright: widths 40, 80, 120 (never upscaled to 160), in three formats; and its share card.
    assert sorted((p.suffix, size_of(p)) for p in files) == sorted(
        [(ext, size) for ext in (".avif", ".jpg", ".webp") for size in ((40, 80), (80, 160), (120, 240))]
        + [(".jpg", (1200, 630))]
    )
    for path in files:
        data = path.read_bytes()
        with Image.open(path) as image:
            assert image.getexif() == {} or dict(image.getexif()) == {}, path
            assert not {"exif", "xmp", "icc_profile", "XML:com.adobe.xmp"} & set(image.info), (path, image.info.keys())
            rgb = image.convert("RGB")
            top, bottom = rgb.getpixel((rgb.width // 2, 2)), rgb.getpixel((rgb.width // 2, rgb.height - 3))
        assert _close(top, RED) and _close(bottom, BLUE), f"{path.name} is not upright: top {top}, bottom {bottom}"
        for secret in (b"Exif", b"GPS", b"PhoneMaker", b"secret-home", b"xmpmeta"):
            assert secret not in data, (path.name, secret)
    assert not (root / "output/villages/fengjian/cover.jpg").exists()


def _close(pixel: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 60 for a, b in zip(pixel, expected, strict=False))


def test_markup_has_sources_sizes_dimensions_lazy_loading_and_placeholder(site):
    root = photo_site(site)
    assert run_cli("build", "--site", root).code == 0
    page = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    hero = re.search(r'<div class="hero"><picture>(.*?)</picture>', page).group(1)
    assert re.search(
        r'<source type="image/avif" srcset="/img/cover\.\w{10}\.40\.avif 40w, /img/cover\.\w{10}\.80\.avif 80w, '
        r'/img/cover\.\w{10}\.120\.avif 120w" sizes="[^"]+">',
        hero,
    )
    assert '<source type="image/webp"' in hero
    assert re.search(r'<img src="/img/cover\.\w{10}\.120\.jpg" srcset="[^"]+ 40w, [^"]+ 80w, [^"]+ 120w"', hero)
    assert 'width="120" height="240"' in hero and 'alt="石桥与河涌"' in hero
    assert 'fetchpriority="high"' in hero and 'loading="lazy"' not in hero
    placeholder = re.search(r"background-image:url\((data:image/webp;base64,[^)]+)\)", hero).group(1)
    assert len(placeholder) < 600
    body = page.split('<div class="prose">')[1]
    figure = re.search(r"<figure><picture>(.*?)</picture><figcaption>插画：祠堂</figcaption></figure>", body).group(1)
    assert 'loading="lazy" decoding="async"' in figure and 'width="160" height="107"' in figure
    assert re.search(r"/img/shi-qiao\.\w{10}\.160\.webp 160w", figure), "Chinese file names get pinyin variant names"


def test_png_with_alpha_keeps_transparency_and_has_no_jpeg(site):
    root = photo_site(
        site,
        **{
            "content/villages/fengjian/index.md": village("逢简村", extra="cover: {src: logo.png, alt: 村徽}\n"),
            "content/villages/fengjian/logo.png": png_with_alpha(),
        },
    )
    assert run_cli("build", "--site", root).code == 0
    files = variants(root, "logo")
    assert {p.suffix for p in files} == {".avif", ".webp", ".png"}
    with Image.open(next(p for p in files if p.suffix == ".png")) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0
    page = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert "background-image" not in page.split('<div class="hero">')[1].split("</picture>")[0]


def test_panorama_and_heic(site):
    root = photo_site(
        site,
        **{
            "content/villages/fengjian/index.md": village(
                "逢简村", extra="gallery:\n  - {src: pano.jpg, alt: 全景}\n  - {src: iphone.heic, alt: 手机照片}\n"
            ),
            "content/villages/fengjian/pano.jpg": jpeg(800, 100),
            "content/villages/fengjian/iphone.heic": heic(64, 48),
        },
    )
    assert run_cli("build", "--site", root).code == 0
    assert sorted(size_of(p) for p in variants(root, "pano") if p.suffix == ".jpg") == [
        (40, 5),
        (80, 10),
        (160, 20),
    ]
    assert sorted(size_of(p) for p in variants(root, "iphone") if p.suffix == ".jpg") == [(40, 30), (64, 48)]
    assert not list((root / "output").rglob("*.heic"))


def test_second_build_encodes_nothing_and_a_changed_photo_only_itself(site):
    root = photo_site(site)
    config = load_config(root)
    first = build(config)
    assert (first.photos_encoded, first.photos_cached) == (2, 0)
    second = build(config)
    assert (second.photos_encoded, second.photos_cached) == (0, 2)
    old_bridge = {p.name for p in variants(root, "shi-qiao")}
    (root / "content/villages/fengjian/石桥.jpg").write_bytes(jpeg(300, 200, (10, 200, 10)))
    third = build(config)
    assert (third.photos_encoded, third.photos_cached) == (1, 1)
    new_bridge = {p.name for p in variants(root, "shi-qiao")}
    assert new_bridge.isdisjoint(old_bridge), "stale variants are gone from the output"
    assert len(new_bridge) == 9


def test_renamed_photo_is_not_encoded_again(site):
    root = photo_site(site)
    config = load_config(root)
    build(config)
    folder = root / "content/villages/fengjian"
    (folder / "石桥.jpg").rename(folder / "bridge.jpg")
    (folder / "index.md").write_text(village("逢简村", extra=COVER, body="![祠堂正门](bridge.jpg)\n"), encoding="utf-8")
    report = build(config)
    assert report.photos_encoded == 0
    assert len(variants(root, "bridge")) == 9 and variants(root, "shi-qiao") == []


def test_changing_the_widths_encodes_every_photo(site):
    root = photo_site(site)
    build(load_config(root))
    (root / "site.yaml").write_text(SITE.replace("[40, 80, 160]", "[50, 100]"), encoding="utf-8")
    report = build(load_config(root))
    assert (report.photos_encoded, report.photos_cached) == (2, 0)
    widths = {p.name.split(".")[2] for p in variants(root, "cover")} - {"1200x630"}  # less the share card
    assert sorted(map(int, widths)) == [50, 100]


def test_cache_folder_can_live_elsewhere(site, tmp_path, monkeypatch):
    root = photo_site(site)
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "ci-cache"))
    assert build(load_config(root)).photos_encoded == 2
    assert list((tmp_path / "ci-cache/images").rglob("*.webp"))
    assert not (root / ".villagesite-cache").exists()


def test_decorative_image_has_empty_alt_and_missing_alt_is_an_error(site):
    root = photo_site(
        site,
        **{
            "content/villages/fengjian/index.md": village(
                "逢简村", extra=COVER, body='![""](石桥.jpg)\n\n![](cover.jpg)\n'
            ),
        },
    )
    checked = run_cli("check", "--site", root)
    assert checked.err.splitlines() == [
        "content/villages/fengjian/index.md:12: body: image 'cover.jpg' has no alt text: describe it for people who"
        ' cannot see it (write ![what the photo shows](file.jpg), or ![""](file.jpg) for a purely decorative image)',
        "1 error",
    ]
    (root / "content/villages/fengjian/index.md").write_text(village("逢简村", extra=COVER, body='![""](石桥.jpg)\n'))
    assert run_cli("build", "--site", root).code == 0
    page = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert re.search(r'<img src="/img/shi-qiao[^>]* alt=""', page)


def test_link_to_a_photo_leads_to_its_largest_variant(site):
    root = photo_site(
        site,
        **{
            "content/villages/fengjian/index.md": village("逢简村", extra=COVER, body="[看大图](cover.jpg)\n"),
        },
    )
    assert run_cli("build", "--site", root).code == 0
    page = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="/img/cover\.\w{10}\.120\.jpg">看大图</a>', page)


def _truncated() -> bytes:
    data = jpeg(600, 400)
    return data[: len(data) * 2 // 3]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"content/villages/fengjian/cover.JPG": phone_jpeg(), "content/villages/fengjian/cover.jpg": None},
            "content/villages/fengjian/index.md:7: cover.src: image 'cover.jpg' is not in the page's folder"
            " (did you mean 'cover.JPG'?)",
            id="missing-with-capitals",
        ),
        pytest.param(
            {"content/villages/fengjian/cover.jpg": b""},
            "content/villages/fengjian/index.md:7: cover.src: image 'cover.jpg' is empty (0 bytes); copy the photo again",
            id="zero-bytes",
        ),
        pytest.param(
            {"content/villages/fengjian/cover.jpg": "这不是照片"},
            "content/villages/fengjian/index.md:7: cover.src: image 'cover.jpg' is not a photo villagesite can read"
            " (JPEG, PNG, WebP, HEIC or AVIF), or the file is damaged",
            id="not-an-image",
        ),
        pytest.param(
            {"content/villages/fengjian/cover.jpg": _truncated()},
            "content/villages/fengjian/index.md:7: cover.src: image 'cover.jpg' is cut short (the file is incomplete);"
            " copy the photo again",
            id="truncated",
        ),
        pytest.param(
            {
                "content/villages/fengjian/index.md": village(
                    "逢简村", extra="cover: {src: ../shawan/cover.jpg, alt: 石桥}\n"
                )
            },
            "content/villages/fengjian/index.md:7: cover.src: image '../shawan/cover.jpg' is not in the page's folder"
            " (name a photo beside index.md, without a folder path)",
            id="front-matter-path-outside-folder",
        ),
        pytest.param(
            {
                "content/villages/fengjian/index.md": village(
                    "逢简村", extra=COVER, body="![密钥](../../../../etc/hosts)\n"
                )
            },
            "content/villages/fengjian/index.md:10: body: image '../../../../etc/hosts' is outside the content folder"
            " (photos must be files inside content/, usually beside index.md)",
            id="body-path-outside-site",
        ),
    ],
)
def test_bad_photos_fail_cleanly_and_keep_the_last_good_output(site, files, expected):
    root = photo_site(site)
    assert run_cli("build", "--site", root).code == 0
    before = snapshot(root / "output")
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink()
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    result = run_cli("build", "--site", root)
    assert result.code == 1
    assert result.err.splitlines()[0] == expected
    assert "Traceback" not in result.err
    assert snapshot(root / "output") == before


def test_photo_over_the_pixel_limit_is_refused(site):
    root = photo_site(site)
    assert run_cli("build", "--site", root).code == 0
    before = snapshot(root / "output")
    huge = root / "content/villages/fengjian/cover.jpg"
    Image.new("1", (20000, 12000)).save(huge.with_suffix(".png"), "PNG")
    (root / "content/villages/fengjian/index.md").write_text(
        village("逢简村", extra="cover: {src: cover.png, alt: 巨图}\n"), encoding="utf-8"
    )
    for command in ("check", "build"):
        result = run_cli(command, "--site", root)
        assert result.code == 1
        assert result.err.splitlines()[0] == (
            "content/villages/fengjian/index.md:7: cover.src: image 'cover.png' is 20000x12000 (240 megapixels);"
            " the limit is 200"
        )
    assert snapshot(root / "output") == before


def test_symlink_out_of_content_is_refused(site, tmp_path):
    outside = tmp_path / "home.jpg"
    outside.write_bytes(phone_jpeg())
    root = photo_site(site)
    assert run_cli("build", "--site", root).code == 0
    before = snapshot(root / "output")
    (root / "content/villages/fengjian/cover.jpg").unlink()
    (root / "content/villages/fengjian/cover.jpg").symlink_to(outside)
    result = run_cli("build", "--site", root)
    assert result.code == 1
    assert snapshot(root / "output") == before
    assert f"content/villages/fengjian/cover.jpg: is a link to {outside}, outside the site folder" in result.err
    assert (
        "content/villages/fengjian/index.md:7: cover.src: image 'cover.jpg' is not in the page's folder" in result.err
    )


def test_colours_are_converted_through_the_photos_profile(site):
    root = photo_site(site, **{"content/villages/fengjian/cover.jpg": tagged_red_jpeg()})
    assert run_cli("build", "--site", root).code == 0
    for path in variants(root, "cover"):
        with Image.open(path) as image:
            assert "icc_profile" not in image.info
            pixel = image.convert("RGB").getpixel((5, 5))
        assert _close(pixel, (0, 255, 0)), f"{path.name}: {pixel} (stored red means green in its profile)"


def test_progress_is_reported_and_the_summary_counts_photos(site):
    root = photo_site(site)
    calls: list[tuple[int, int]] = []
    build(load_config(root), progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 2) and calls[-1] == (2, 2) and len(calls) == 3
    result = run_cli("build", "--site", root)
    assert "photos: 0 encoded, 2 from the cache" in result.out


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("focus: 80", "expected [x, y], two numbers from 0 to 100, got '80'"),
        ("focus: [50]", "expected [x, y], two numbers from 0 to 100"),
        ("focus: [50, 120]", "120 is out of range; expected a number from 0 to 100"),
        ("focus: [left, 50]", "expected a number from 0 to 100"),
    ],
)
def test_a_cover_focus_that_is_not_two_percentages_is_an_error_at_its_line(site, written: str, expected: str):
    root = site(
        {
            "content/villages/fengjian/index.md": village(
                extra=f"cover:\n  src: cover.jpg\n  alt: 石桥\n  {written}\n"
            ),
            "content/villages/fengjian/cover.jpg": photo_bytes(),
        }
    )
    result = run_cli("check", "--site", root)
    assert result.code == 1
    line = next(x for x in result.err.splitlines() if "focus" in x)
    assert line.startswith("content/villages/fengjian/index.md:10: cover.focus"), line
    assert expected in line


def test_a_cover_focus_is_where_its_crop_is_centred(site):
    root = site(
        {
            "content/villages/fengjian/index.md": village(
                extra="cover: {src: cover.jpg, alt: 石桥, focus: [30, 85.5]}\n"
            ),
            "content/villages/fengjian/cover.jpg": photo_bytes(),
        }
    )
    assert run_cli("build", "--site", root).code == 0
    html = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert 'alt="石桥" fetchpriority="high" decoding="async" style="object-position:30% 85.5%;' in html


def test_a_cover_makes_a_share_card_of_1200_by_630_cropped_around_its_focus(site):
    """What a chat app shows of a shared link: the cover cut to Open Graph's card, its subject kept."""
    tall = Image.new("RGB", (1000, 1000), (40, 90, 200))  # blue above...
    tall.paste((200, 40, 40), (0, 800, 1000, 1000))  # ...and the subject, red, at the bottom
    buffer = io.BytesIO()
    tall.save(buffer, "JPEG", quality=90)
    root = site(
        {
            "content/villages/fengjian/index.md": village(
                extra="cover: {src: cover.jpg, alt: 石桥, focus: [50, 100]}\n"
            ),
            "content/villages/fengjian/cover.jpg": buffer.getvalue(),
            "content/villages/zili/index.md": village("自力村", extra="cover: {src: cover.jpg, alt: 碉楼}\n"),
            "content/villages/zili/cover.jpg": buffer.getvalue(),
        }
    )
    assert run_cli("build", "--site", root, "--base-url", "https://example.org/").code == 0
    html = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    card = re.search(
        r'<meta property="og:image" content="https://example.org(/img/cover\.\w{10}\.1200x630\.jpg)">', html
    )
    assert card is not None
    assert '<meta property="og:image:width" content="1200">\n<meta property="og:image:height" content="630">' in html
    with Image.open(root / "output" / card.group(1).lstrip("/")) as image:
        assert image.size == (1200, 630) and image.format == "JPEG" and not image.getexif()
        assert image.getpixel((600, 620))[0] > 150  # the bottom, kept: red
    other = (root / "output/villages/zili/index.html").read_text(encoding="utf-8")
    centred = re.search(r'content="https://example.org(/img/cover\.\w{10}\.1200x630\.jpg)"', other)
    assert centred is not None and centred.group(1) != card.group(1)  # the same photo, cut elsewhere
    with Image.open(root / "output" / centred.group(1).lstrip("/")) as image:
        assert image.getpixel((600, 10))[2] > 150  # the middle of a square photo: blue at the top
    # The card is not offered in a srcset: the page's own pictures keep the photo's shape.
    assert "1200x630" not in html.split("<main")[1]
