"""``site.yaml`` -> a validated, immutable :class:`SiteConfig`.

Unknown keys are errors with a suggestion, not silently ignored: a misspelt
setting that does nothing is the hardest mistake for an editor to find.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import nh3

from .errors import Problem, VillageSiteError, closest, error, suggest
from .fields import FieldReader, describe
from .frontmatter import read_text
from .i18n import _
from .yamlfile import YamlDocument, parse_yaml

CONFIG_NAME = "site.yaml"
KNOWN_LANGUAGES = ("zh-Hans", "zh-Hant", "en")
IMAGE_FORMATS = ("avif", "webp", "jpeg", "png")


@dataclass(frozen=True, slots=True)
class ImageConfig:
    widths: tuple[int, ...] = (480, 960, 1600)
    """Widths in pixels of the variants made of every photo (never upscaled)."""
    formats: tuple[str, ...] = ("avif", "webp", "jpeg")
    """Encodings of each variant, best first; the last is the fallback."""
    quality: int = 80
    """Encoder quality, 1-100."""


OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
AMAP_TILES = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
MAP_DATUMS = ("wgs84", "gcj02")


@dataclass(frozen=True, slots=True)
class MapTiles:
    """Where one edition's maps take their tiles from, and how they are credited."""

    url: str
    attribution: str | None
    """The credit as HTML; None: the theme's string ``attribution_key`` (in the edition's language)."""
    attribution_key: str
    subdomains: str
    max_zoom: int
    datum: str


TILE_PRESETS = {
    # OpenStreetMap's volunteers' servers: in WGS-84; often slow or blocked in mainland China.
    "osm": MapTiles(OSM_TILES, None, "map_attribution", "abc", 19, "wgs84"),
    # Amap's public road map, which loads in mainland China; drawn in GCJ-02, so markers are shifted onto it.
    "amap": MapTiles(AMAP_TILES, None, "map_attribution_amap", "1234", 18, "gcj02"),
}
AUTO_TILES = "auto"
"""The default: Amap for the Simplified Chinese edition (read in mainland China), OpenStreetMap for the others."""


@dataclass(frozen=True, slots=True)
class MapConfig:
    tiles: str = AUTO_TILES
    """``auto``, a preset of :data:`TILE_PRESETS` (``amap``, ``osm``), or a tile URL template for the
    interactive maps: ``{z}``, ``{x}``, ``{y}``, and ``{s}`` for a subdomain."""
    attribution: str | None = None
    """Credit shown on the map, as the tile provider's licence asks; links (``<a href>``) are kept.
    None with the default tiles: the theme's string ``map_attribution`` credits OpenStreetMap."""
    subdomains: str = "abc"
    """Letters or digits that ``{s}`` takes in turn."""
    max_zoom: int = 18
    """The closest zoom the tiles offer."""
    datum: str = "wgs84"
    """The tiles' datum: ``wgs84`` (OpenStreetMap, Tianditu) or ``gcj02`` (Amap, Tencent); markers follow it."""

    def tiles_for(self, language: str) -> MapTiles:
        """The tiles of an edition's maps: a preset's, or those the site names."""
        name = self.tiles
        if name == AUTO_TILES:
            name = "amap" if language == "zh-Hans" else "osm"
        preset = TILE_PRESETS.get(name)
        if preset is not None:
            return preset
        return MapTiles(self.tiles, self.attribution, "map_attribution", self.subdomains, self.max_zoom, self.datum)


TRADITIONAL_VARIANTS = ("hk", "tw")


@dataclass(frozen=True, slots=True)
class TraditionalConfig:
    variant: str = "hk"
    """``hk``: Hong Kong's standard characters (OpenCC ``s2hk``), for Hong Kong, Macau and overseas Cantonese
    readers; ``tw``: Taiwan's (``s2tw``)."""
    phrases: tuple[tuple[str, str], ...] = ()
    """The site's own words kept or written as given (place names), besides the list shipped with villagesite."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    root: Path
    """The site folder (where ``site.yaml`` is)."""
    title: str
    """The site's name, shown in every page title."""
    title_en: str | None = None
    """An English name, shown beside the title."""
    description: str | None = None
    """One or two sentences about the site: home page and meta description."""
    base_url: str = "/"
    """Where the site will live: ``/``, ``/sub/`` or ``https://example.org/villages/``; ends with '/'."""
    language: str = "zh-Hans"
    """The language the content is written in."""
    languages: tuple[str, ...] = ()
    """More editions to publish: ``zh-Hant`` (converted from Simplified, or translated), ``en`` (translated)."""
    traditional: TraditionalConfig = field(default_factory=lambda: TraditionalConfig())
    """How the Traditional Chinese edition is converted."""
    description_en: str | None = None
    """The description in English, for the English edition."""
    province: str = "广东省"
    """Default ``province`` of villages."""
    theme: str = "default"
    """A folder in ``themes/`` of the site, or a theme shipped with villagesite."""
    images: ImageConfig = field(default_factory=ImageConfig)
    """How photos are turned into variants."""
    map: MapConfig = field(default_factory=MapConfig)
    """Tiles of the interactive maps."""
    search: bool = True
    """Publish the search page and its index (``search: false`` leaves both out)."""
    pronunciation: tuple[str, ...] = ("pinyin", "jyutping", "teochew", "hakka")
    """How names are shown said, first above the characters: pinyin on every name, Jyutping on
    Cantonese villages' and on pages that ask, Teochew and Hakka where written (``[]``: none)."""

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``: every URL in the output starts with it."""
        return urlsplit(self.base_url).path

    @property
    def origin(self) -> str:
        """``https://example.org`` when ``base_url`` names a host, else ''."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def themes_dir(self) -> Path:
        return self.root / "themes"

    def fingerprint(self) -> str:
        """A hash of every setting, for cache keys."""
        values = asdict(self)
        values["root"] = str(self.root)
        return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


TOP_KEYS = {
    "title",
    "title_en",
    "description",
    "description_en",
    "base_url",
    "language",
    "languages",
    "traditional",
    "province",
    "theme",
    "images",
    "map",
    "search",
    "pronunciation",
}
PRONUNCIATION_SYSTEMS = ("pinyin", "jyutping", "teochew", "hakka")
IMAGE_KEYS = {"widths", "formats", "quality"}
MAP_KEYS = {"tiles", "attribution", "subdomains", "max_zoom", "datum"}


def load_config(site_dir: Path) -> SiteConfig:
    """Read and validate ``site.yaml`` in ``site_dir``; raise with every problem found."""
    site_dir = site_dir.resolve()
    path = site_dir / CONFIG_NAME
    if not path.is_file():
        raise VillageSiteError(
            [
                error(
                    str(path),
                    None,
                    _("there is no {file} here", file=CONFIG_NAME),
                    hint=_("run 'villagesite init DIR' to start a new site, or pass --site DIR"),
                )
            ]
        )
    text = read_text(path, CONFIG_NAME)
    if isinstance(text, Problem):
        raise VillageSiteError([text])
    parsed = parse_yaml(text, CONFIG_NAME)
    if isinstance(parsed, Problem):
        raise VillageSiteError([parsed])
    problems: list[Problem] = []
    config = _read_config(site_dir, parsed, problems)
    if any(p.is_error for p in problems) or config is None:
        raise VillageSiteError(problems)
    return config


def _read_config(site_dir: Path, doc: YamlDocument, problems: list[Problem]) -> SiteConfig | None:
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        problems.append(error(CONFIG_NAME, 1, _("expected settings such as 'title: 广东古村落'")))
        return None
    fields = FieldReader(data, doc, CONFIG_NAME, problems)
    fields.reject_unknown(TOP_KEYS)
    title = fields.text("title", required=True) or ""
    language = _language(fields)
    languages = tuple(_language_list(fields, language))
    return SiteConfig(
        root=site_dir,
        title=title,
        title_en=fields.text("title_en"),
        description=fields.text("description"),
        description_en=fields.text("description_en"),
        base_url=_base_url(fields),
        language=language,
        languages=languages,
        traditional=_traditional(fields),
        province=fields.text("province") or "广东省",
        theme=_theme_name(fields),
        images=_images(fields),
        map=_map(fields),
        search=fields.boolean("search", default=True),
        pronunciation=_pronunciation(fields),
    )


def _pronunciation(fields: FieldReader) -> tuple[str, ...]:
    """``pronunciation: [pinyin, jyutping]``: the systems, each once, in the order written."""
    if "pronunciation" not in fields.data:
        return PRONUNCIATION_SYSTEMS
    value = fields.data.get("pronunciation")
    if value is None or value == []:
        return ()
    systems: list[str] = []
    for index, item in enumerate(fields.text_list("pronunciation")):
        at = f"pronunciation[{index}]" if isinstance(value, list) else "pronunciation"
        system = item.strip().lower()
        if system not in PRONUNCIATION_SYSTEMS:
            close = closest(system, list(PRONUNCIATION_SYSTEMS))
            fields.fail(
                at,
                _("'{value}' is not one of {choices}", value=item, choices=_(", ").join(PRONUNCIATION_SYSTEMS)),
                hint=suggest(close) if close is not None else _("e.g. pronunciation: [pinyin, jyutping]"),
            )
        elif system not in systems:
            systems.append(system)
    return tuple(systems)


_CANONICAL_LANGUAGE = {code.lower(): code for code in KNOWN_LANGUAGES}
_LANGUAGE_NAMES = {
    # What editors write for a language villagesite knows, by another name.
    "zh": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-hans-cn": "zh-Hans",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant",
    "zh-hant-hk": "zh-Hant",
    "zh-hant-tw": "zh-Hant",
    "en-us": "en",
    "en-gb": "en",
    "english": "en",
    "简体": "zh-Hans",
    "简体中文": "zh-Hans",
    "繁体": "zh-Hant",
    "繁體": "zh-Hant",
    "繁体中文": "zh-Hant",
    "繁體中文": "zh-Hant",
    "英文": "en",
    "英语": "en",
}


def language_code(value: object) -> tuple[str | None, str | None]:
    """A language as site.yaml may write it -> its code (``zh-hant`` -> ``zh-Hant``), or None and a hint."""
    text = str(value).strip().replace("_", "-")
    known = _CANONICAL_LANGUAGE.get(text.lower())
    if known is not None:
        return known, None
    meant = _LANGUAGE_NAMES.get(text.lower())
    if meant is not None:
        return None, suggest(meant)
    close = closest(text.lower(), list(_CANONICAL_LANGUAGE))
    return None, suggest(_CANONICAL_LANGUAGE[close]) if close is not None else None


def _language(fields: FieldReader) -> str:
    value = fields.data.get("language")
    if value is None or value == "":
        return "zh-Hans"
    code, hint = language_code(value)
    if code is None:
        fields.fail(
            "language",
            _("'{value}' is not one of {choices}", value=value, choices=_(", ").join(KNOWN_LANGUAGES)),
            hint=hint or _("the language the content is written in: zh-Hans for Simplified Chinese"),
        )
        return "zh-Hans"
    return code


def _language_list(fields: FieldReader, language: str) -> list[str]:
    """The editions besides the content's language, each once, in the order written."""
    result: list[str] = []
    value = fields.data.get("languages")
    for index, item in enumerate(fields.text_list("languages")):
        at = f"languages[{index}]" if isinstance(value, list) else "languages"
        code, hint = language_code(item)
        if code is None:
            fields.fail(
                at,
                _("'{value}' is not one of {choices}", value=item, choices=_(", ").join(KNOWN_LANGUAGES)),
                hint=hint or _("e.g. languages: [zh-Hant, en]"),
            )
        elif code == language:
            fields.fail(
                at,
                _(
                    "'{value}' is the language the content is written in (language: {language})",
                    value=item,
                    language=language,
                ),
                hint=_("it is published anyway: list only the other editions"),
            )
        elif code in result:
            fields.fail(at, _("'{value}' is listed twice", value=item))
        else:
            result.append(code)
    return result


def _traditional(fields: FieldReader) -> TraditionalConfig:
    section = fields.section("traditional")
    if section is None:
        return TraditionalConfig()
    section.reject_unknown({"variant", "phrases"})
    variant = section.choice("variant", TRADITIONAL_VARIANTS, default="hk") or "hk"
    phrases: list[tuple[str, str]] = []
    raw = section.data.get("phrases")
    if raw is not None and not isinstance(raw, dict):
        section.fail(
            "phrases",
            _("expected words and how to write them, such as '松口: 松口' or '姜撞奶: 薑撞奶'"),
            hint=_("one 'simplified: traditional' pair per line, under phrases:"),
        )
    for key, value in raw.items() if isinstance(raw, dict) else ():
        path = f"phrases.{key}"
        if not isinstance(key, str) or not key.strip():
            section.fail(path, _("'{key}' is not text: a phrase is the words as the content writes them", key=key))
        elif not isinstance(value, str) or not value.strip():
            section.fail(
                path,
                _("expected text, got {found}", found=describe(value)),
                hint=_("write how '{key}' is written in Traditional Chinese, e.g. '{key}: {key}' to keep it", key=key),
            )
        else:
            phrases.append((key.strip(), value.strip()))
    return TraditionalConfig(variant, tuple(phrases))


def _base_url(fields: FieldReader) -> str:
    value = fields.text("base_url") or "/"
    normalized, message, hint = normalize_base_url(value)
    if message:
        fields.fail("base_url", message, hint=hint)
    return normalized


def normalize_base_url(value: str) -> tuple[str, str | None, str | None]:
    """``value`` ending in '/', or '/' with a message and hint saying what is wrong."""
    parts = urlsplit(value)
    if parts.scheme and parts.scheme not in ("http", "https") or (parts.scheme and not parts.netloc):
        return (
            "/",
            _("'{value}' is not a web address", value=value),
            _("write e.g. 'https://example.org/villages/' or '/villages/'"),
        )
    if not parts.scheme and not value.startswith("/"):
        return "/", _("'{value}' must start with '/' or 'https://'", value=value), suggest(f"/{value}")
    if parts.query or parts.fragment:
        return "/", _("must not contain '?' or '#'"), None
    path = parts.path or "/"
    if not path.endswith("/"):
        path += "/"
    return (f"{parts.scheme}://{parts.netloc}{path}" if parts.scheme else path), None, None


def with_base_url(config: SiteConfig, value: str) -> SiteConfig:
    """The same settings published at another address (``build --base-url``)."""
    normalized, message, hint = normalize_base_url(value)
    if message:
        raise VillageSiteError([error("--base-url", None, message, hint=hint)])
    return replace(config, base_url=normalized)


def _theme_name(fields: FieldReader) -> str:
    name = fields.text("theme") or "default"
    if "/" in name or "\\" in name or name.startswith("."):
        fields.fail("theme", _("'{name}' must be the name of a folder in themes/, not a path", name=name))
        return "default"
    return name


def _images(fields: FieldReader) -> ImageConfig:
    section = fields.section("images")
    if section is None:
        return ImageConfig()
    section.reject_unknown(IMAGE_KEYS)
    defaults = ImageConfig()
    widths: list[int] = []
    raw_widths = section.data.get("widths", list(defaults.widths))
    if not isinstance(raw_widths, list) or not raw_widths:
        section.fail("widths", _("expected a list of widths in pixels, such as [480, 960, 1600]"))
    else:
        for width in raw_widths:
            if isinstance(width, bool) or not isinstance(width, int) or not 16 <= width <= 8192:
                section.fail("widths", _("'{width}' is not a width in pixels from 16 to 8192", width=width))
            else:
                widths.append(width)
    formats = section.text_list("formats") or defaults.formats
    for name in formats:
        if name.lower() not in IMAGE_FORMATS:
            section.fail(
                "formats", _("'{value}' is not one of {choices}", value=name, choices=_(", ").join(IMAGE_FORMATS))
            )
    quality = section.number("quality", low=1, high=100)
    return ImageConfig(
        widths=tuple(sorted(set(widths))) or defaults.widths,
        formats=tuple(f.lower() for f in formats if f.lower() in IMAGE_FORMATS) or defaults.formats,
        quality=int(quality) if quality is not None else defaults.quality,
    )


def _map(fields: FieldReader) -> MapConfig:
    section = fields.section("map")
    if section is None:
        return MapConfig()
    section.reject_unknown(MAP_KEYS)
    defaults = MapConfig()
    tiles = section.text("tiles") or defaults.tiles
    named = tiles in TILE_PRESETS or tiles == AUTO_TILES
    if not named and (
        not tiles.startswith(("https://", "http://", "/")) or not all(p in tiles for p in ("{z}", "{x}", "{y}"))
    ):
        section.fail(
            "tiles",
            _("'{tiles}' is not a tile address with {{z}}, {{x}} and {{y}}", tiles=tiles),
            # TRANSLATORS: {example} is an address of map tiles, such as OpenStreetMap's.
            hint=_("write auto, amap or osm, or an address such as '{example}'", example=OSM_TILES),
        )
        tiles = defaults.tiles
    attribution = section.text("attribution")
    if "tiles" in section.data and not named and attribution is None:
        section.fail("attribution", _("is required with your own tiles: credit the map's makers as their licence asks"))
    max_zoom = section.number("max_zoom", low=1, high=22)
    return MapConfig(
        tiles=tiles,
        # Shown as HTML on the map: keep links, drop anything else.
        attribution=nh3.clean(attribution, tags={"a"}, attributes={"a": {"href"}})
        if attribution
        else defaults.attribution,
        subdomains=section.text("subdomains") or defaults.subdomains,
        max_zoom=int(max_zoom) if max_zoom is not None else defaults.max_zoom,
        datum=section.choice("datum", MAP_DATUMS, default=defaults.datum) or defaults.datum,
    )
