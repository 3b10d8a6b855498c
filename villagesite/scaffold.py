"""New sites and new pages from the scaffolds in ``villagesite/scaffolds/``."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

from .config import CONFIG_NAME, SiteConfig
from .errors import VillageSiteError, did_you_mean, error
from .i18n import _
from .kinds import BY_NAME
from .slugs import is_slug, slugify

SCAFFOLDS = Path(__file__).parent / "scaffolds"
ABOUT_PAGE = "---\ntitle: 关于本站\nsummary: 这个网站介绍广东的古村落。\n---\n\n在这里介绍网站和编写它的人。\n"
KINDS = {name: entry for name, entry in BY_NAME.items() if entry.scaffold}
"""The kinds ``villagesite new`` makes, by name: those with a scaffold."""


def _fill(name: str, title: str, today: dt.date, values: Mapping[str, str] | None = None) -> str:
    text = (SCAFFOLDS / name).read_text(encoding="utf-8")
    for key, value in (values or {}).items():  # __VILLAGE__, __KIND__
        text = text.replace(f"__{key.upper()}__", yaml_text(value) if value else '""')
    return text.replace("__TITLE__", yaml_text(title)).replace("__DATE__", today.isoformat())


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""What cannot be in a title of one line: control characters, line separators, undecodable bytes."""


def check_title(title: str) -> None:
    """Refuse a name that cannot be a title on one line: a line break or control character in it."""
    if match := _CONTROL.search(title):
        raise VillageSiteError(
            [
                error(
                    "",
                    None,
                    _(
                        "the name cannot contain a line break or control character (found U+{code:04X})",
                        code=ord(match.group()),
                    ),
                    hint=_("write the name on one line, e.g. villagesite new village 逢简村"),
                )
            ]
        )


def yaml_text(title: str) -> str:
    """``title`` as a YAML value that reads back as exactly this text: plain when it can be, else in quotes."""
    try:
        plain = yaml.safe_load(f"title: {title}  # comment")
    except yaml.YAMLError:
        plain = None
    if isinstance(plain, dict) and plain.get("title") == title and title == title.strip():
        return title
    return json.dumps(title, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def init_site(folder: Path, title: str = "广东古村落", today: dt.date | None = None) -> list[Path]:
    """Create a new site that builds at once: settings, one sample village with a cover, an about page."""
    today = today or dt.date.today()
    check_title(title)
    if (folder / CONFIG_NAME).exists():
        raise VillageSiteError([error(str(folder / CONFIG_NAME), None, _("a site already exists here"))])
    if folder.exists() and any(p for p in folder.iterdir() if not p.name.startswith(".")):
        raise VillageSiteError(
            [error(str(folder), None, _("the folder is not empty"), hint=_("choose a new folder name"))]
        )
    village = folder / "content" / "villages" / "sample"
    pages = folder / "content" / "pages"
    village.mkdir(parents=True)
    pages.mkdir(parents=True)
    (folder / "themes").mkdir()
    files = {
        folder / CONFIG_NAME: _fill("site.yaml", title, today),
        village / "index.md": _fill("sample-village.md", title, today),
        pages / "about.md": ABOUT_PAGE,
        folder / ".gitignore": "output/\n.villagesite-cache/\n",
    }
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    draw_sample_cover(village / "cover.jpg")
    return [*files, village / "cover.jpg"]


def draw_sample_cover(path: Path) -> None:
    """A small flat illustration (grey-brick house with wok-ear gables by a river), labelled as one."""
    width, height = 1200, 750
    image = Image.new("RGB", (width, height), (214, 228, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, width, height), fill=(120, 160, 170))
    for x in (180, 560):
        draw.rectangle((x, 300, x + 360, 520), fill=(118, 124, 130))
        draw.polygon([(x - 10, 300), (x + 30, 200), (x + 70, 300)], fill=(70, 74, 80))
        draw.polygon([(x + 290, 300), (x + 330, 200), (x + 370, 300)], fill=(70, 74, 80))
        draw.rectangle((x + 150, 400, x + 210, 520), fill=(60, 40, 30))
    draw.rectangle((width - 170, height - 50, width - 20, height - 20), fill=(255, 255, 255))
    draw.text((width - 160, height - 45), "Illustration", fill=(40, 40, 40))
    image.save(path, "JPEG", quality=80, optimize=True)


def new_page(
    config: SiteConfig,
    kind_name: str,
    name: str,
    today: dt.date | None = None,
    *,
    village: str | None = None,
    place_kind: str | None = None,
) -> Path:
    """Create ``content/<section>/<slug>/index.md`` from the scaffold for ``kind_name``; ``village`` (a
    village's folder name, checked) and ``place_kind`` fill those fields of a place or an event."""
    kind = KINDS[kind_name]
    assert kind.scaffold is not None
    check_title(name)
    if village is not None:
        villages = sorted(p.parent.name for p in (config.content_dir / "villages").glob("*/index.md"))
        if village not in villages:
            raise VillageSiteError(
                [
                    error(
                        "",
                        None,
                        _("there is no village '{village}'", village=village),
                        field="--village",
                        hint=did_you_mean(village, villages)
                        or _("use the folder name of a village in content/villages/"),
                    )
                ]
            )
    slug = name if is_slug(name) else slugify(name)
    if not slug:
        raise VillageSiteError(
            [
                error(
                    "",
                    None,
                    _("cannot make a folder name from '{name}'", name=name),
                    hint=_("use a name with letters or Chinese characters"),
                )
            ]
        )
    title = name if not is_slug(name) else name.replace("-", " ").title()
    folder = config.content_dir / kind.section / slug
    if folder.exists():
        raise VillageSiteError(
            [
                error(
                    folder.relative_to(config.root).as_posix(),
                    None,
                    _("already exists"),
                    hint=_("choose another name, or edit the existing page"),
                )
            ]
        )
    folder.mkdir(parents=True)
    target = folder / "index.md"
    values = {"village": village or "", "kind": place_kind or "restaurant"}
    target.write_text(_fill(kind.scaffold, title, today or dt.date.today(), values), encoding="utf-8")
    return target
