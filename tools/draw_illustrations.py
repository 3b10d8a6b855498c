#!/usr/bin/env python3
"""Draw the illustrations of the example site.

Every village, story and detail picture in ``content/`` is a flat illustration
drawn here with Pillow, not a photograph; each one carries a small
"Illustration" label in its corner so nobody mistakes it for a photo.

Run from the repository root (or anywhere)::

    python tools/draw_illustrations.py            # draw everything
    python tools/draw_illustrations.py zili       # only jobs whose path contains "zili"

The output is deterministic: every picture is seeded by its output path, so
running the script again gives the same files.  Pillow >= 10.1 is the only
dependency (no network, no font files: the label uses Pillow's default font).
"""

from __future__ import annotations

import math
import random
import sys
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

W, H = 1600, 1000  # final size of every picture
S = 2  # supersampling factor (draw at 2x, then downscale)
QUALITY = 80  # JPEG quality
MAX_BYTES = 150_000  # keep each file under this size (quality is lowered if needed)

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

Color = tuple


# --------------------------------------------------------------------------
# colour helpers


def mix(a: Color, b: Color, t: float) -> Color:
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))


def shade(c: Color, f: float) -> Color:
    """f < 1 darkens towards black, f > 1 lightens towards white."""
    if f <= 1:
        return tuple(int(v * f) for v in c[:3])
    return mix(c, (255, 255, 255), min(1.0, f - 1))


def alpha(c: Color, a: int) -> Color:
    return (c[0], c[1], c[2], a)


def frange(a: float, b: float, step: float):
    x = a
    while x < b:
        yield x
        x += step


# --------------------------------------------------------------------------
# the canvas: coordinates are given in final pixels (1600 x 1000)


class Canvas:
    def __init__(self, seed: str):
        self.img = Image.new("RGB", (W * S, H * S), (255, 255, 255))
        self.d = ImageDraw.Draw(self.img, "RGBA")
        self.rng = random.Random(zlib.crc32(seed.encode("utf-8")))

    def _p(self, pts):
        return [(x * S, y * S) for x, y in pts]

    def _redraw(self):
        self.d = ImageDraw.Draw(self.img, "RGBA")

    def rect(self, x0, y0, x1, y1, fill, outline=None, width=1):
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        self.d.rectangle([x0 * S, y0 * S, x1 * S, y1 * S], fill=fill, outline=outline, width=int(width * S))

    def poly(self, pts, fill, outline=None, width=1):
        self.d.polygon(self._p(pts), fill=fill, outline=outline, width=int(width * S))

    def ellipse(self, x0, y0, x1, y1, fill, outline=None, width=1):
        self.d.ellipse([x0 * S, y0 * S, x1 * S, y1 * S], fill=fill, outline=outline, width=int(width * S))

    def circle(self, cx, cy, r, fill, outline=None, width=1):
        self.ellipse(cx - r, cy - r, cx + r, cy + r, fill, outline, width)

    def line(self, pts, fill, width=1.0):
        self.d.line(self._p(pts), fill=fill, width=max(1, int(round(width * S))), joint="curve")

    def arc_line(self, cx, cy, rx, ry, fill, width=1.0, start=180, end=360):
        pts = [
            (cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a))) for a in range(start, end + 1, 4)
        ]
        self.line(pts, fill, width)

    def pieslice(self, x0, y0, x1, y1, start, end, fill):
        self.d.pieslice([x0 * S, y0 * S, x1 * S, y1 * S], start, end, fill=fill)

    def chord(self, x0, y0, x1, y1, start, end, fill):
        self.d.chord([x0 * S, y0 * S, x1 * S, y1 * S], start, end, fill=fill)

    def vgradient(self, x0, y0, x1, y1, top: Color, bottom: Color):
        w, h = int((x1 - x0) * S), int((y1 - y0) * S)
        if w <= 0 or h <= 0:
            return
        mask = Image.linear_gradient("L").resize((w, h))
        region = Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top), mask)
        self.img.paste(region, (int(x0 * S), int(y0 * S)))
        self._redraw()

    def reflect(self, y_water, y_end, tint_top: Color, tint_bottom: Color, strength=0.55, wave=3.0):
        """Mirror what is above y_water into the water below it."""
        ys = int(y_water * S)
        h = min(int((y_end - y_water) * S), ys)
        src = self.img.crop((0, ys - h, W * S, ys)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        out = src.copy()
        strip = 3 * S
        phase = self.rng.uniform(0, 6.28)
        for y in range(0, h, strip):
            dx = int(round(math.sin(y / (7.0 * S) + phase) * wave * S * (0.3 + y / h)))
            out.paste(src.crop((0, y, W * S, min(h, y + strip))), (dx, y))
        mask = Image.linear_gradient("L").resize((W * S, h))
        tint = Image.composite(Image.new("RGB", (W * S, h), tint_bottom), Image.new("RGB", (W * S, h), tint_top), mask)
        self.img.paste(Image.blend(out, tint, strength), (0, ys))
        self._redraw()

    def finish(self) -> Image.Image:
        img = self.img.resize((W, H), Image.Resampling.LANCZOS)
        label(img)
        return img


def default_font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: fixed-size bitmap font
        return ImageFont.load_default()


def label(img: Image.Image, text: str = "Illustration"):
    """The small corner label that marks every picture as a drawing."""
    d = ImageDraw.Draw(img, "RGBA")
    font = default_font(22)
    x0, y0, x1, y1 = d.textbbox((0, 0), text, font=font)
    pad = 9
    bw, bh = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
    bx, by = W - bw - 18, H - bh - 18
    d.rounded_rectangle([bx, by, bx + bw, by + bh], radius=6, fill=(20, 24, 28, 170))
    d.text((bx + pad - x0, by + pad - y0), text, font=font, fill=(255, 255, 255, 235))


# --------------------------------------------------------------------------
# sky, hills, water, plants


SKIES = {
    "dawn": [(126, 154, 198), (226, 190, 178), (252, 226, 192)],
    "noon": [(92, 152, 212), (156, 198, 232), (224, 236, 238)],
    "dusk": [(60, 66, 122), (184, 118, 132), (250, 182, 122)],
    "mist": [(160, 176, 186), (202, 210, 210), (234, 233, 222)],
    "spring": [(128, 186, 212), (192, 222, 224), (242, 238, 210)],
}


def sky(cv: Canvas, kind: str, horizon: float):
    top, mid, low = SKIES[kind]
    rng = cv.rng
    cv.vgradient(0, 0, W, horizon * 0.55, top, mid)
    cv.vgradient(0, horizon * 0.55, W, horizon + 2, mid, low)
    # sun or moon
    sx = rng.uniform(220, W - 220)
    if kind == "dusk":
        sy, r, col = horizon - rng.uniform(60, 140), 58, (255, 214, 150)
    elif kind == "dawn":
        sy, r, col = horizon - rng.uniform(120, 220), 48, (255, 238, 208)
    elif kind == "mist":
        sy, r, col = rng.uniform(150, 260), 44, (246, 244, 232)
    else:
        sy, r, col = rng.uniform(110, 210), 40, (255, 250, 228)
    for k in range(5, 0, -1):
        cv.circle(sx, sy, r + k * 22, alpha(col, 14))
    cv.circle(sx, sy, r, col)
    # flat clouds
    cloud = mix(low, (255, 255, 255), 0.6)
    for _ in range(rng.randint(3, 6)):
        cx, cy = rng.uniform(-50, W + 50), rng.uniform(70, horizon * 0.62)
        cw = rng.uniform(140, 320)
        a = 150 if kind != "dusk" else 90
        for _ in range(rng.randint(3, 5)):
            ox = rng.uniform(-cw * 0.45, cw * 0.45)
            rr = rng.uniform(cw * 0.16, cw * 0.3)
            cv.ellipse(cx + ox - rr, cy - rr * 0.8, cx + ox + rr, cy + rr * 0.35, alpha(cloud, a))
        cv.ellipse(cx - cw * 0.5, cy - 6, cx + cw * 0.5, cy + 12, alpha(cloud, a))


def ridge_points(rng, base, amp, step=8, freqs=(0.004, 0.011, 0.027)):
    ph = [rng.uniform(0, 6.28) for _ in freqs]
    wt = (0.55, 0.3, 0.15)
    pts = []
    for x in frange(-20, W + 28, step):
        y = base + amp * sum(w * math.sin(f * x + p) for w, f, p in zip(wt, freqs, ph, strict=True))
        pts.append((x, y))
    return pts


def hills(cv: Canvas, base, amp, color, bottom=H):
    pts = ridge_points(cv.rng, base, amp)
    cv.poly(pts + [(W + 20, bottom), (-20, bottom)], color)
    return pts


def hill_layers(cv: Canvas, horizon, sky_low, far, near, n=3, top=None, amp=60):
    top = horizon - 170 if top is None else top
    for i in range(n):
        t = i / max(1, n - 1)
        col = mix(mix(sky_low, far, 0.55), near, t)
        hills(cv, top + (horizon - top) * t * 0.8, amp * (1.1 - 0.35 * t), col)


def mist_band(cv: Canvas, y, height, color=(238, 238, 232), strength=170):
    """A soft horizontal band of mist drifting across the hills."""
    rng = cv.rng
    layer = Image.new("RGBA", cv.img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    d.rectangle([0, (y - height * 0.2) * S, W * S, (y + height * 0.2) * S], fill=alpha(color, strength))
    for _ in range(8):
        x, wd = rng.uniform(-100, W), rng.uniform(250, 600)
        hh = height * rng.uniform(0.3, 0.6)
        d.ellipse([x * S, (y - hh) * S, (x + wd) * S, (y + hh * 0.5) * S], fill=alpha(color, strength))
    layer = layer.filter(ImageFilter.GaussianBlur(height * 0.3 * S))
    cv.img = Image.alpha_composite(cv.img.convert("RGBA"), layer).convert("RGB")
    cv._redraw()


def round_tree(cv: Canvas, x, yg, size, greens, trunk=(92, 70, 52)):
    rng = cv.rng
    cv.rect(x - size * 0.07, yg - size * 0.9, x + size * 0.07, yg, trunk)
    for i, g in enumerate(greens):
        for _ in range(4):
            ox = rng.uniform(-size * 0.45, size * 0.45)
            oy = rng.uniform(-size * 0.25, size * 0.15) - size * (1.05 - 0.1 * i)
            r = rng.uniform(size * 0.25, size * 0.42)
            cv.ellipse(x + ox - r, yg + oy - r * 0.85, x + ox + r, yg + oy + r * 0.85, g)


def banyan(cv: Canvas, x, yg, size, greens):
    """A broad banyan (榕树) crown, often in front of Cantonese villages."""
    rng = cv.rng
    trunk = (96, 78, 62)
    cv.poly(
        [
            (x - size * 0.12, yg),
            (x + size * 0.14, yg),
            (x + size * 0.06, yg - size * 0.7),
            (x - size * 0.05, yg - size * 0.7),
        ],
        trunk,
    )
    for _ in range(5):  # aerial roots
        rx = x + rng.uniform(-size * 0.6, size * 0.6)
        cv.line(
            [(rx, yg - size * 0.75), (rx + rng.uniform(-4, 4), yg - rng.uniform(0, size * 0.3))], shade(trunk, 1.15), 2
        )
    for i, g in enumerate(greens):
        for _ in range(7):
            ox = rng.uniform(-size * 0.95, size * 0.95)
            oy = -size * (0.95 - 0.08 * i) + rng.uniform(-size * 0.22, size * 0.12)
            r = rng.uniform(size * 0.25, size * 0.4)
            cv.ellipse(x + ox - r * 1.2, yg + oy - r * 0.7, x + ox + r * 1.2, yg + oy + r * 0.7, g)


def banana(cv: Canvas, x, yg, size, green=(92, 150, 70)):
    rng = cv.rng
    cv.poly([(x - 5, yg), (x + 5, yg), (x + 3, yg - size), (x - 3, yg - size)], (110, 120, 70))
    for k in range(6):
        ang = -math.pi / 2 + (k - 2.5) * 0.45 + rng.uniform(-0.1, 0.1)
        length = size * rng.uniform(0.55, 0.8)
        ex, ey = x + math.cos(ang) * length, yg - size + math.sin(ang) * length * 0.6 + length * 0.25
        mx, my = (x + ex) / 2, (yg - size + ey) / 2 - length * 0.18
        nx, ny = -(ey - (yg - size)), ex - x
        nl = math.hypot(nx, ny) or 1
        wdt = size * 0.09
        cv.poly(
            [
                (x, yg - size),
                (mx + nx / nl * wdt, my + ny / nl * wdt),
                (ex, ey),
                (mx - nx / nl * wdt * 0.4, my - ny / nl * wdt * 0.4),
            ],
            shade(green, rng.uniform(0.85, 1.12)),
        )


def fir(cv: Canvas, x, yg, size, green):
    cv.rect(x - size * 0.05, yg - size * 0.25, x + size * 0.05, yg, (80, 62, 50))
    for k in range(3):
        top = yg - size * (1.0 - k * 0.22)
        wdt = size * (0.22 + k * 0.09)
        cv.poly([(x, top), (x + wdt, top + size * 0.42), (x - wdt, top + size * 0.42)], shade(green, 1 + k * 0.05))


def fields(cv: Canvas, y0, y1, cols=((134, 170, 82), (158, 186, 94), (120, 158, 76), (176, 192, 100))):
    """Rice fields in bands that widen towards the viewer."""
    y = y0
    i = 0
    while y < y1:
        hgt = 18 + (y - y0) * 0.22
        cv.rect(0, y, W, y + hgt, cols[i % len(cols)])
        cv.line([(0, y), (W, y)], (112, 140, 70), 1.5)
        y += hgt
        i += 1


def ripples(cv: Canvas, y0, y1, color, n=90):
    rng = cv.rng
    for _ in range(n):
        y = rng.uniform(y0 + 4, y1)
        x = rng.uniform(-20, W)
        ln = rng.uniform(20, 90) * (0.5 + (y - y0) / max(1, y1 - y0))
        cv.line([(x, y), (x + ln, y)], alpha(color, rng.randint(50, 120)), 1.4)


def boat(cv: Canvas, x, y, size, hull=(86, 64, 48), canopy=(60, 60, 66)):
    cv.poly(
        [
            (x - size, y - size * 0.12),
            (x + size, y - size * 0.16),
            (x + size * 0.8, y + size * 0.1),
            (x - size * 0.75, y + size * 0.1),
        ],
        hull,
    )
    cv.chord(x - size * 0.45, y - size * 0.55, x + size * 0.35, y + size * 0.15, 180, 360, canopy)
    cv.line([(x + size * 0.55, y - size * 0.15), (x + size * 0.95, y - size * 0.75)], (70, 56, 44), 2)


# --------------------------------------------------------------------------
# Cantonese (广府) buildings


CANTON = {
    "brick": [(120, 126, 132), (110, 118, 126), (132, 134, 136), (104, 110, 118)],
    "stone": (196, 188, 170),
    "roof": (66, 70, 76),
    "border": (42, 44, 48),
    "plaster": (236, 232, 220),
    "paint": [(70, 120, 140), (170, 70, 58), (90, 130, 90), (196, 160, 70)],
}


def wok_gable_house(cv: Canvas, x, yg, w, wall_h, pal=CANTON, brick=None):
    """A Cantonese house seen from its gable end, topped by a wok-ear (镬耳) wall."""
    rng = cv.rng
    brick = brick or rng.choice(pal["brick"])
    shoulder = yg - wall_h
    ry = w * 0.62
    cx = x + w / 2
    arc = [
        (cx - w / 2 * math.cos(math.radians(a)), shoulder - ry * math.sin(math.radians(a))) for a in range(0, 181, 6)
    ]
    cv.poly([(x, yg), (x, shoulder)] + arc + [(x + w, shoulder), (x + w, yg)], brick)
    for yy in frange(shoulder - ry * 0.6, yg - wall_h * 0.16, 9):
        cv.line([(x + 2, yy), (x + w - 2, yy)], shade(brick, 0.92), 0.8)
    # white plaster band under the black ridge, then the ridge itself
    band = w * 0.09
    inner = [
        (cx - (w / 2 - band) * math.cos(math.radians(a)), shoulder - (ry - band) * math.sin(math.radians(a)))
        for a in range(0, 181, 6)
    ]
    cv.line(inner, pal["plaster"], band * 0.6)
    cv.line(arc, pal["border"], w * 0.075)
    # the curled "ears" at the shoulders
    for side in (-1, 1):
        ex = cx + side * w / 2
        cv.poly(
            [
                (ex, shoulder - 6),
                (ex + side * w * 0.1, shoulder - 2),
                (ex + side * w * 0.12, shoulder + 8),
                (ex, shoulder + 6),
            ],
            pal["border"],
        )
    cv.rect(x, yg - wall_h * 0.16, x + w, yg, pal["stone"])
    # a small high window
    wy = shoulder - ry * 0.35
    cv.rect(cx - w * 0.07, wy - w * 0.05, cx + w * 0.07, wy + w * 0.05, (46, 48, 52))


def canton_front_house(cv: Canvas, x, yg, w, h, pal=CANTON, brick=None):
    """A low Cantonese house seen from the front: brick wall, tiled roof, painted frieze."""
    rng = cv.rng
    brick = brick or rng.choice(pal["brick"])
    roof_h = h * 0.38
    eave = yg - h
    cv.rect(x, eave, x + w, yg, brick)
    cv.rect(x, yg - h * 0.16, x + w, yg, pal["stone"])
    cv.rect(x, eave, x + w, eave + h * 0.12, pal["plaster"])
    n = max(2, int(w / 46))
    for i in range(n):
        px = x + w * (i + 0.2) / n
        cv.rect(px, eave + h * 0.03, px + w * 0.6 / n, eave + h * 0.09, alpha(rng.choice(pal["paint"]), 170))
    cv.poly([(x - 8, eave + 2), (x + w + 8, eave + 2), (x + w - 6, eave - roof_h), (x + 6, eave - roof_h)], pal["roof"])
    for xx in frange(x + 4, x + w - 4, 8):
        cv.line([(xx, eave), (xx + (xx - x - w / 2) * 0.03, eave - roof_h)], shade(pal["roof"], 1.18), 0.8)
    cv.rect(x + 2, eave - roof_h - 7, x + w - 2, eave - roof_h + 1, pal["border"])
    # door with sliding bars (趟栊)
    dw = min(w * 0.22, h * 0.32)
    dx = x + w / 2 - dw / 2
    cv.rect(dx - 5, yg - h * 0.62, dx + dw + 5, yg, pal["stone"])
    cv.rect(dx, yg - h * 0.58, dx + dw, yg, (58, 44, 38))
    for yy in frange(yg - h * 0.52, yg - 4, 10):
        cv.line([(dx + 2, yy), (dx + dw - 2, yy)], (150, 120, 90), 1)


def ancestral_hall(cv: Canvas, x, yg, w, h, pal=CANTON, ridge_colors=None):
    """A wide ancestral hall (祠堂) front: granite platform, columns, plaque, decorated ridge."""
    brick = pal["brick"][0]
    eave = yg - h
    plat = h * 0.1
    cv.rect(x - 20, yg - plat, x + w + 20, yg, shade(pal["stone"], 0.95))
    cv.rect(x, eave, x + w, yg - plat, brick)
    porch_x0, porch_x1 = x + w * 0.18, x + w * 0.82
    cv.rect(porch_x0, eave + h * 0.1, porch_x1, yg - plat, shade(brick, 0.55))
    # main door and plaque
    dw = w * 0.16
    cv.rect(x + w / 2 - dw / 2, eave + h * 0.42, x + w / 2 + dw / 2, yg - plat, (96, 38, 30))
    cv.line([(x + w / 2, eave + h * 0.42), (x + w / 2, yg - plat)], (60, 24, 20), 2)
    cv.rect(x + w / 2 - w * 0.11, eave + h * 0.2, x + w / 2 + w * 0.11, eave + h * 0.33, (40, 34, 30))
    cv.rect(x + w / 2 - w * 0.09, eave + h * 0.225, x + w / 2 + w * 0.09, eave + h * 0.305, (196, 160, 74))
    # granite columns
    for cx in (porch_x0 + w * 0.03, porch_x0 + w * 0.17, porch_x1 - w * 0.17, porch_x1 - w * 0.03):
        cv.rect(cx - w * 0.013, eave + h * 0.08, cx + w * 0.013, yg - plat, pal["stone"])
        cv.rect(cx - w * 0.022, yg - plat - 10, cx + w * 0.022, yg - plat, shade(pal["stone"], 0.9))
    cv.rect(x, eave, x + w, eave + h * 0.09, pal["plaster"])
    # roof with a ridge carrying coloured ceramic figures (陶塑/灰塑)
    roof_h = h * 0.42
    cv.poly(
        [(x - 26, eave + 4), (x + w + 26, eave + 4), (x + w - 10, eave - roof_h), (x + 10, eave - roof_h)], pal["roof"]
    )
    for xx in frange(x - 10, x + w + 10, 9):
        cv.line([(xx, eave + 2), (x + w / 2 + (xx - x - w / 2) * 0.92, eave - roof_h)], shade(pal["roof"], 1.15), 0.8)
    rt = eave - roof_h
    ridge_h = h * 0.16
    cv.rect(x + 6, rt - ridge_h, x + w - 6, rt + 2, pal["border"])
    cv.rect(x + 14, rt - ridge_h + 6, x + w - 14, rt - 4, (218, 206, 180))
    cols = ridge_colors or [(64, 140, 120), (196, 84, 60), (226, 188, 80), (70, 110, 170)]
    for i in range(int(w / 26)):
        fx = x + 24 + i * 26
        c = cols[i % len(cols)]
        cv.ellipse(fx - 7, rt - ridge_h + 9, fx + 7, rt - 8, c)
        cv.circle(fx, rt - ridge_h + 5, 5, shade(c, 1.25))
    for side in (-1, 1):  # curled ridge ends
        ex = x + w / 2 + side * (w / 2 - 6)
        cv.poly(
            [(ex, rt + 2), (ex, rt - ridge_h), (ex + side * 20, rt - ridge_h - 22), (ex + side * 12, rt - ridge_h + 4)],
            pal["border"],
        )


def diaolou(cv: Canvas, x, yg, w, h, body=(214, 204, 178), top_style=0):
    """A Kaiping watchtower (碉楼): tall plain body, small barred windows, ornate crown."""
    dark = (52, 54, 58)
    top = yg - h
    crown = h * 0.2
    cv.rect(x, top + crown, x + w, yg, body)
    cv.rect(x + w * 0.78, top + crown, x + w, yg, shade(body, 0.86))  # shaded side
    floors = max(3, int((h - crown) / 62))
    for f in range(floors):
        fy = top + crown + 30 + f * (h - crown - 40) / floors
        for k in range(2):
            wx = x + w * (0.2 + 0.36 * k)
            cv.rect(wx, fy, wx + w * 0.16, fy + w * 0.22, dark)
            cv.rect(wx - 2, fy - 4, wx + w * 0.16 + 2, fy, shade(body, 0.75))
    # loggia / balcony
    by = top + crown
    cv.rect(x - w * 0.12, by - 8, x + w * 1.12, by + 6, shade(body, 0.9))
    cv.rect(x - w * 0.06, top + crown * 0.28, x + w * 1.06, by - 8, shade(body, 1.08))
    n = 4
    for i in range(n):
        ax = x - w * 0.02 + i * (w * 1.04) / n
        aw = w * 1.04 / n - 8
        cv.rect(ax + 4, top + crown * 0.45, ax + aw, by - 10, shade(body, 0.45))
        cv.pieslice(ax + 4, top + crown * 0.35, ax + aw, top + crown * 0.55, 180, 360, shade(body, 0.45))
    for k in range(int(w * 1.12 / 12)):  # balustrade
        bx = x - w * 0.1 + k * 12
        cv.rect(bx, by - 24, bx + 4, by - 8, shade(body, 1.1))
    # corner turrets (燕子窝)
    for side in (0, 1):
        tx = x - w * 0.16 if side == 0 else x + w * 0.96
        cv.rect(tx, by - 4, tx + w * 0.2, by + crown * 0.35, shade(body, 0.95))
        cv.rect(tx + 6, by + 6, tx + 10, by + 16, dark)
    # roof crown: dome, pediment or pavilion
    ct = top + crown * 0.28
    if top_style == 0:
        cv.chord(x + w * 0.1, ct - w * 0.5, x + w * 0.9, ct + w * 0.3, 180, 360, shade(body, 1.05))
        cv.rect(x + w * 0.47, ct - w * 0.62, x + w * 0.53, ct - w * 0.45, dark)
    elif top_style == 1:
        cv.poly([(x - w * 0.06, ct + 2), (x + w / 2, ct - w * 0.45), (x + w * 1.06, ct + 2)], shade(body, 0.98))
        cv.circle(x + w / 2, ct - w * 0.16, w * 0.08, dark)
    else:
        cv.poly(
            [
                (x - w * 0.15, ct + 2),
                (x + w * 1.15, ct + 2),
                (x + w * 0.85, ct - w * 0.32),
                (x + w * 0.15, ct - w * 0.32),
            ],
            CANTON["roof"],
        )
        cv.rect(x + w * 0.1, ct - w * 0.38, x + w * 0.9, ct - w * 0.3, CANTON["border"])


def gate_tower(cv: Canvas, cx, yg, w, h, wall=(150, 146, 138), roof=(70, 72, 78)):
    """A two-storey gate tower (门楼) with an arched passage."""
    x = cx - w / 2
    cv.rect(x, yg - h, x + w, yg, wall)
    cv.rect(x, yg - h * 0.12, x + w, yg, shade(wall, 1.15))
    aw = w * 0.36
    cv.rect(cx - aw / 2, yg - h * 0.45, cx + aw / 2, yg, (40, 38, 36))
    cv.pieslice(cx - aw / 2, yg - h * 0.45 - aw / 2, cx + aw / 2, yg - h * 0.45 + aw / 2, 180, 360, (40, 38, 36))
    cv.rect(cx - w * 0.16, yg - h * 0.8, cx + w * 0.16, yg - h * 0.66, (214, 206, 186))
    # upper pavilion
    py = yg - h
    cv.rect(x + w * 0.1, py - h * 0.34, x + w * 0.9, py, shade(wall, 0.9))
    for k in range(3):
        wx = x + w * (0.22 + k * 0.22)
        cv.rect(wx, py - h * 0.25, wx + w * 0.12, py - h * 0.08, (52, 44, 40))
    for yy, wd, hh in ((py, 1.12, 0.14), (py - h * 0.34, 1.0, 0.2)):
        cv.poly(
            [
                (cx - w * wd / 2 - 16, yy + 4),
                (cx + w * wd / 2 + 16, yy + 4),
                (cx + w * wd / 2 - 14, yy - h * hh),
                (cx - w * wd / 2 + 14, yy - h * hh),
            ],
            roof,
        )
        cv.rect(cx - w * wd / 2 + 8, yy - h * hh - 6, cx + w * wd / 2 - 8, yy - h * hh + 1, shade(roof, 0.7))
        for side in (-1, 1):
            ex = cx + side * (w * wd / 2 - 8)
            cv.poly(
                [(ex, yy - h * hh + 1), (ex + side * 18, yy - h * hh - 18), (ex + side * 6, yy - h * hh - 4)],
                shade(roof, 0.7),
            )


def pagoda(cv: Canvas, cx, yg, w, h, stone=(172, 164, 150)):
    levels = 7
    for i in range(levels):
        t = i / levels
        lw = w * (1 - 0.5 * t)
        y1 = yg - h * t
        y0 = yg - h * (t + 1 / levels)
        cv.rect(cx - lw / 2, y0 + 6, cx + lw / 2, y1, shade(stone, 1 - 0.03 * i))
        cv.rect(cx - lw * 0.1, y0 + 12, cx + lw * 0.1, y0 + 20, (60, 56, 52))
        cv.poly(
            [(cx - lw / 2 - 8, y0 + 8), (cx + lw / 2 + 8, y0 + 8), (cx + lw / 2, y0), (cx - lw / 2, y0)],
            shade(stone, 0.7),
        )
    cv.poly([(cx - 5, yg - h), (cx + 5, yg - h), (cx, yg - h - 26)], shade(stone, 0.6))


# --------------------------------------------------------------------------
# Hakka (客家) buildings


HAKKA = {
    "wall": (226, 220, 204),
    "wall_shade": (196, 188, 170),
    "roof": (82, 80, 82),
    "roof_light": (112, 110, 110),
    "earth": (160, 148, 112),
    "court": (206, 196, 168),
}


def weilongwu(cv: Canvas, cx, cy, w, pal=HAKKA, pond=(120, 160, 170)):
    """A Hakka enclosed round-dragon house (围龙屋) seen from above at an angle.

    cx, cy is the centre of the front courtyard; w the width of the whole house."""
    h = w * 0.36
    base = cy - h * 0.38  # where the ring meets the side wings
    ry = w * 0.17  # the ring, foreshortened
    ring = w * 0.07
    # the rear half-ring (围龙) around the sloping mound (化胎)
    cv.chord(cx - w / 2, base - ry, cx + w / 2, base + ry, 180, 360, pal["roof"])
    cv.chord(
        cx - w / 2 + ring, base - ry + ring * 0.55, cx + w / 2 - ring, base + ry - ring * 0.55, 180, 360, pal["wall"]
    )
    cv.chord(
        cx - w / 2 + ring * 1.2,
        base - ry + ring * 0.75,
        cx + w / 2 - ring * 1.2,
        base + ry - ring * 0.75,
        180,
        360,
        (150, 156, 108),
    )
    for k in range(1, 4):  # bands of the mound, stepping down towards the halls
        f = 1 - k * 0.2
        cv.arc_line(cx, base, (w / 2 - ring * 1.2) * f, (ry - ring * 0.75) * f, (130, 138, 96), 2)
    for k in range(17):  # tile rows on the ring
        a = math.radians(180 + k * 180 / 16)
        x1, y1 = cx + math.cos(a) * w / 2, base + math.sin(a) * ry
        x2, y2 = cx + math.cos(a) * (w / 2 - ring), base + math.sin(a) * (ry - ring * 0.55)
        cv.line([(x1, y1), (x2, y2)], pal["roof_light"], 1.2)
    # side wings (横屋): long roofs running front to back
    for side in (-1, 1):
        x_out = cx + side * w / 2
        x_in = cx + side * w * 0.34
        cv.poly([(x_out, base), (x_in, base), (x_in, cy + h * 0.05), (x_out, cy + h * 0.05)], pal["wall_shade"])
        cv.poly([(x_out, base - 4), (x_in, base - 4), (x_in, cy - h * 0.06), (x_out, cy - h * 0.06)], pal["roof"])
        for k in range(1, 6):
            yy = base + (cy - h * 0.06 - base) * k / 6
            cv.line([(x_out, yy), (x_in, yy)], pal["roof_light"], 1)
    # central halls (堂屋): three roofs one behind another
    for k in range(3):
        hw = w * (0.5 - 0.03 * k)
        ry = cy - h * 0.12 - k * h * 0.17
        cv.rect(cx - hw / 2, ry, cx + hw / 2, ry + h * 0.1, pal["wall"])
        cv.poly(
            [
                (cx - hw / 2 - 8, ry + 2),
                (cx + hw / 2 + 8, ry + 2),
                (cx + hw / 2 - 6, ry - h * 0.1),
                (cx - hw / 2 + 6, ry - h * 0.1),
            ],
            pal["roof"],
        )
        cv.line([(cx - hw / 2 + 6, ry - h * 0.1), (cx + hw / 2 - 6, ry - h * 0.1)], shade(pal["roof"], 0.6), 3)
    # front wall with the main door
    cv.rect(cx - w * 0.25, cy - h * 0.02, cx + w * 0.25, cy + h * 0.08, pal["wall"])
    cv.rect(cx - w * 0.035, cy + h * 0.005, cx + w * 0.035, cy + h * 0.08, (70, 50, 40))
    # courtyard (禾坪) and half-moon pond (半月池)
    cv.poly(
        [
            (cx - w * 0.52, cy + h * 0.08),
            (cx + w * 0.52, cy + h * 0.08),
            (cx + w * 0.56, cy + h * 0.26),
            (cx - w * 0.56, cy + h * 0.26),
        ],
        pal["court"],
    )
    cv.chord(cx - w * 0.5, cy + h * 0.1, cx + w * 0.5, cy + h * 0.62, 0, 180, pond)
    cv.chord(cx - w * 0.46, cy + h * 0.14, cx + w * 0.46, cy + h * 0.54, 10, 170, shade(pond, 1.15))


def sijiaolou(cv: Canvas, cx, yg, w, pal=HAKKA, wall=None):
    """A Hakka four-cornered fortified house (四角楼), front three-quarter view."""
    wall = wall or pal["wall"]
    h = w * 0.26
    depth = w * 0.2
    x0, x1 = cx - w / 2, cx + w / 2
    # rear wall and rear towers (drawn first, higher up)
    ry = yg - depth
    cv.rect(x0 + depth * 0.5, ry - h * 0.8, x1 - depth * 0.5, ry, shade(wall, 0.9))
    cv.poly(
        [
            (x0 + depth * 0.5, ry - h * 0.8 + 2),
            (x1 - depth * 0.5, ry - h * 0.8 + 2),
            (x1 - depth * 0.5 - 6, ry - h * 0.98),
            (x0 + depth * 0.5 + 6, ry - h * 0.98),
        ],
        pal["roof"],
    )
    # inner hall roofs
    for k in range(2):
        yy = yg - depth * (0.35 + 0.3 * k) - h * 0.9
        hw = w * (0.5 - 0.08 * k)
        cv.poly(
            [
                (cx - hw / 2, yy + h * 0.18),
                (cx + hw / 2, yy + h * 0.18),
                (cx + hw / 2 - 10, yy),
                (cx - hw / 2 + 10, yy),
            ],
            pal["roof"],
        )
    for tx in (x0 + depth * 0.5, x1 - depth * 0.5):
        tw = w * 0.13
        cv.rect(tx - tw / 2, ry - h * 1.45, tx + tw / 2, ry, shade(wall, 0.86))
        cv.poly([(tx - tw / 2 - 8, ry - h * 1.45), (tx + tw / 2 + 8, ry - h * 1.45), (tx, ry - h * 1.72)], pal["roof"])
    # side walls receding
    cv.poly([(x0, yg), (x0 + depth * 0.5, ry), (x0 + depth * 0.5, ry - h), (x0, yg - h)], pal["wall_shade"])
    cv.poly([(x1, yg), (x1 - depth * 0.5, ry), (x1 - depth * 0.5, ry - h), (x1, yg - h)], pal["wall_shade"])
    # front wall
    cv.rect(x0, yg - h, x1, yg, wall)
    cv.rect(x0, yg - h * 0.12, x1, yg, shade(wall, 0.8))
    cv.poly(
        [
            (x0, yg - h + 2),
            (x1, yg - h + 2),
            (x1 - depth * 0.12, yg - h - h * 0.16),
            (x0 + depth * 0.12, yg - h - h * 0.16),
        ],
        pal["roof"],
    )
    for xx in frange(x0 + 6, x1 - 6, 9):
        cv.line([(xx, yg - h + 1), (cx + (xx - cx) * 0.97, yg - h - h * 0.16)], pal["roof_light"], 0.8)
    cv.rect(cx - w * 0.05, yg - h * 0.62, cx + w * 0.05, yg, (70, 50, 40))
    cv.rect(cx - w * 0.08, yg - h * 0.82, cx + w * 0.08, yg - h * 0.68, (200, 60, 50))
    for k in range(6):
        wx = x0 + w * (0.2 + 0.12 * k) if k < 3 else x0 + w * (0.44 + 0.12 * k)
        cv.rect(wx, yg - h * 0.6, wx + 6, yg - h * 0.48, (60, 56, 52))
    # front corner towers (碉楼) with gun loops
    for tx in (x0, x1):
        tw = w * 0.16
        th = h * 1.75
        cv.rect(tx - tw / 2, yg - th, tx + tw / 2, yg, wall)
        cv.rect(tx + tw * 0.2, yg - th, tx + tw / 2, yg, shade(wall, 0.88))
        for k in range(3):
            wy = yg - th + 26 + k * th * 0.26
            cv.rect(tx - 4, wy, tx + 4, wy + 14, (52, 50, 48))
        cv.poly(
            [
                (tx - tw / 2 - 10, yg - th + 2),
                (tx + tw / 2 + 10, yg - th + 2),
                (tx + tw / 2 - 4, yg - th - 26),
                (tx - tw / 2 + 4, yg - th - 26),
            ],
            pal["roof"],
        )
        cv.line([(tx - tw / 2 + 4, yg - th - 26), (tx + tw / 2 - 4, yg - th - 26)], shade(pal["roof"], 0.6), 3)


# --------------------------------------------------------------------------
# Teochew (潮汕) buildings


TEOCHEW = {
    "wall": [(214, 208, 196), (200, 196, 188), (222, 214, 198)],
    "stone": (176, 170, 160),
    "roof": (74, 80, 88),
    "ridge": (60, 62, 66),
    "inlay": [(46, 150, 120), (216, 64, 56), (238, 196, 64), (60, 116, 196), (236, 126, 60), (150, 200, 90)],
}


def inlay_flower(cv: Canvas, x, y, r, colors):
    rng = cv.rng
    c = rng.choice(colors)
    for k in range(5):
        a = k * 2 * math.pi / 5 + rng.uniform(0, 0.3)
        cv.circle(x + math.cos(a) * r * 0.6, y + math.sin(a) * r * 0.6, r * 0.5, c)
    cv.circle(x, y, r * 0.38, rng.choice([cc for cc in colors if cc != c]))


def curved_ridge(cv: Canvas, x0, x1, y, lift, thick, pal=TEOCHEW, inlay=True):
    """A Teochew ridge: flat in the middle, sweeping up into tails at both ends."""
    pts = []
    n = 40
    for i in range(n + 1):
        t = i / n
        u = abs(2 * t - 1)
        pts.append((x0 + (x1 - x0) * t, y - lift * u**5))
    cv.line(pts, pal["ridge"], thick)
    for side, (ex, ey) in ((-1, pts[0]), (1, pts[-1])):
        cv.poly(
            [(ex, ey), (ex + side * thick * 1.6, ey - thick * 2.2), (ex + side * thick * 0.4, ey + thick * 0.6)],
            pal["ridge"],
        )
    if inlay:
        cv.line([(p[0], p[1] - thick * 0.05) for p in pts[6:-6]], alpha((240, 236, 220), 200), thick * 0.22)
        for i in range(8, n - 7, 4):
            px, py = pts[i]
            inlay_flower(cv, px, py - thick * 0.7, thick * 0.55, pal["inlay"])
        mx = (x0 + x1) / 2  # pearl between two dragons (双龙戏珠)
        cv.circle(mx, y - thick * 1.6, thick * 0.55, (226, 70, 56))
        for side in (-1, 1):
            body = [
                (mx + side * thick * (0.9 + 4.2 * t), y - thick * (1.2 + 0.9 * math.sin(t * math.pi * 2.2)))
                for t in [i / 16 for i in range(17)]
            ]
            col = pal["inlay"][0] if side < 0 else pal["inlay"][3]
            cv.line(body, col, thick * 0.42)
            hx, hy = body[0]
            cv.circle(hx, hy, thick * 0.3, shade(col, 1.3))
            for bx, by in body[3::3]:
                cv.circle(bx, by - thick * 0.2, thick * 0.12, (238, 196, 64))
        for ex, ey in (pts[0], pts[-1]):
            inlay_flower(cv, ex, ey - thick * 0.4, thick * 0.7, pal["inlay"])


def teochew_hall(cv: Canvas, x, yg, w, h, pal=TEOCHEW, wall=None, inlay=True):
    """A Teochew house front: recessed entrance (凹肚门楼), painted panels, curved ridge."""
    rng = cv.rng
    wall = wall or rng.choice(pal["wall"])
    eave = yg - h
    cv.rect(x, eave, x + w, yg, wall)
    cv.rect(x, yg - h * 0.14, x + w, yg, pal["stone"])
    # recessed entrance with coloured panels
    ex0, ex1 = x + w * 0.3, x + w * 0.7
    cv.rect(ex0, eave + h * 0.12, ex1, yg - h * 0.14, shade(wall, 0.78))
    cv.rect(x + w * 0.43, eave + h * 0.36, x + w * 0.57, yg - h * 0.14, (30, 30, 34))
    cv.rect(x + w * 0.438, eave + h * 0.4, x + w * 0.498, yg - h * 0.18, (150, 44, 36))
    cv.rect(x + w * 0.502, eave + h * 0.4, x + w * 0.562, yg - h * 0.18, (150, 44, 36))
    for px in (ex0 + w * 0.02, x + w * 0.59):
        cv.rect(px, eave + h * 0.2, px + w * 0.09, eave + h * 0.5, (64, 110, 150))
        cv.rect(px + 4, eave + h * 0.22, px + w * 0.09 - 4, eave + h * 0.48, (220, 206, 170))
        inlay_flower(cv, px + w * 0.045, eave + h * 0.35, w * 0.025, pal["inlay"])
    cv.rect(x, eave, x + w, eave + h * 0.1, (232, 228, 216))
    for i in range(int(w / 34)):
        cv.rect(
            x + 8 + i * 34, eave + h * 0.025, x + 30 + i * 34, eave + h * 0.075, alpha(rng.choice(pal["inlay"]), 190)
        )
    # windows
    for wx in (x + w * 0.1, x + w * 0.82):
        cv.rect(wx, eave + h * 0.34, wx + w * 0.08, eave + h * 0.6, (58, 60, 64))
    # roof
    rh = h * 0.36
    cv.poly([(x - 12, eave + 2), (x + w + 12, eave + 2), (x + w - 4, eave - rh), (x + 4, eave - rh)], pal["roof"])
    for xx in frange(x - 4, x + w + 4, 8):
        cv.line([(xx, eave + 1), (x + w / 2 + (xx - x - w / 2) * 0.95, eave - rh)], shade(pal["roof"], 1.2), 0.8)
    curved_ridge(cv, x - 6, x + w + 6, eave - rh, h * 0.13, max(7, h * 0.07), pal, inlay)


def teochew_gable(cv: Canvas, x, yg, w, h, shape, pal=TEOCHEW, wall=None):
    """A Teochew house from the gable end, its gable in one of the five-element shapes."""
    rng = cv.rng
    wall = wall or rng.choice(pal["wall"])
    sh = yg - h
    gh = w * 0.5
    cx = x + w / 2
    if shape == "metal":  # 金: round
        top = [
            (cx - w / 2 * math.cos(math.radians(a)), sh - gh * 0.55 - gh * 0.45 * math.sin(math.radians(a)))
            for a in range(0, 181, 10)
        ]
        prof = [(x, sh), (x + 4, sh - gh * 0.55)] + top + [(x + w - 4, sh - gh * 0.55), (x + w, sh)]
    elif shape == "water":  # 水: three waves
        prof = [(x, sh)]
        for i in range(49):
            t = i / 48
            yy = sh - gh * 0.45 - gh * 0.35 * abs(math.sin(t * math.pi * 3)) - gh * 0.3 * math.sin(t * math.pi)
            prof.append((x + w * t, yy))
        prof.append((x + w, sh))
    elif shape == "fire":  # 火: pointed, stepped
        prof = [
            (x, sh),
            (x + w * 0.15, sh - gh * 0.4),
            (x + w * 0.3, sh - gh * 0.5),
            (x + w * 0.42, sh - gh * 0.95),
            (cx, sh - gh * 1.15),
            (x + w * 0.58, sh - gh * 0.95),
            (x + w * 0.7, sh - gh * 0.5),
            (x + w * 0.85, sh - gh * 0.4),
            (x + w, sh),
        ]
    else:  # 木 / 土: a straight pitched gable
        prof = [(x, sh), (cx, sh - gh * 0.9), (x + w, sh)]
    cv.poly([(x, yg)] + prof + [(x + w, yg)], wall)
    cv.line(prof, pal["ridge"], max(5, w * 0.05))
    cv.line([(p[0], p[1] + w * 0.05) for p in prof[1:-1]], alpha((250, 248, 240), 210), w * 0.025)
    # painted and inlaid ornament at the gable top (厝头角)
    gy = min(p[1] for p in prof) + gh * 0.42
    cv.circle(cx, gy, w * 0.11, (238, 232, 214))
    cv.circle(cx, gy, w * 0.11, None, (80, 120, 160), 3)
    inlay_flower(cv, cx, gy, w * 0.06, pal["inlay"])
    for side in (-1, 1):
        inlay_flower(cv, cx + side * w * 0.2, gy + w * 0.06, w * 0.035, pal["inlay"])
    cv.rect(x, yg - h * 0.15, x + w, yg, pal["stone"])
    cv.rect(cx - w * 0.06, sh + h * 0.2, cx + w * 0.06, sh + h * 0.42, (58, 60, 64))


def western_villa(cv: Canvas, x, yg, w, h, body=(232, 222, 200), trim=(170, 70, 60)):
    """A two-storey overseas-Chinese villa with arched verandahs (as at Chen Cihong's residence)."""
    cv.rect(x, yg - h, x + w, yg, body)
    n = max(3, int(w / 60))
    for fl in range(2):
        y1 = yg - fl * h * 0.45
        y0 = y1 - h * 0.38
        for i in range(n):
            ax = x + 12 + i * (w - 24) / n
            aw = (w - 24) / n - 12
            cv.rect(ax, y0 + aw * 0.3, ax + aw, y1 - 6, shade(body, 0.55))
            cv.pieslice(ax, y0, ax + aw, y0 + aw * 0.6, 180, 360, shade(body, 0.55))
            cv.rect(ax + aw + 2, y0, ax + aw + 10, y1, shade(body, 1.06))
        cv.rect(x - 6, y0 - 10, x + w + 6, y0, trim)
        for k in range(int(w / 10)):
            cv.rect(x + k * 10 + 2, y1 - 22, x + k * 10 + 5, y1 - 6, shade(body, 1.1))
    cv.rect(x - 10, yg - h - 14, x + w + 10, yg - h, trim)
    cv.poly([(x + w * 0.35, yg - h - 14), (x + w * 0.5, yg - h - 50), (x + w * 0.65, yg - h - 14)], body)
    cv.circle(x + w * 0.5, yg - h - 27, 7, trim)


# --------------------------------------------------------------------------
# mountain villages of the Yao, Zhuang and She


MOUNTAIN = {
    "walls": [(146, 140, 132), (128, 118, 108), (156, 132, 104), (118, 96, 76), (170, 162, 150)],
    "roof": (64, 66, 72),
    "roof_light": (96, 98, 104),
}

BANDS = {
    # Pai Yao dress: dark cloth embroidered in red, yellow and white
    "瑶族": {"base": (34, 30, 40), "main": (200, 40, 44), "second": (238, 190, 56), "third": (240, 236, 226)},
    # Zhuang brocade (壮锦): red ground with bright lozenges
    "壮族": {"base": (150, 30, 40), "main": (242, 186, 60), "second": (54, 140, 100), "third": (60, 104, 180)},
    # She woven bands (彩带): indigo ground with red and white geometry
    "畲族": {"base": (30, 44, 84), "main": (214, 56, 60), "second": (240, 236, 226), "third": (236, 176, 60)},
}


def embroidery_band(cv: Canvas, y0, y1, group):
    """A strip of geometric embroidery / brocade along the bottom edge."""
    p = BANDS[group]
    h = y1 - y0
    cv.rect(0, y0, W, y1, p["base"])
    cell = h * 1.1
    for i in range(int(W / cell) + 2):
        cx = i * cell + cell / 2
        cy = y0 + h / 2
        r = h * 0.36
        cv.poly([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], p["main"])
        cv.poly([(cx, cy - r * 0.55), (cx + r * 0.55, cy), (cx, cy + r * 0.55), (cx - r * 0.55, cy)], p["base"])
        cv.poly([(cx, cy - r * 0.28), (cx + r * 0.28, cy), (cx, cy + r * 0.28), (cx - r * 0.28, cy)], p["second"])
        mx = cx + cell / 2
        cv.rect(mx - 2, cy - r * 0.7, mx + 2, cy + r * 0.7, p["third"])
        cv.rect(mx - r * 0.35, cy - 2, mx + r * 0.35, cy + 2, p["third"])
    for yy, up in ((y0, 1), (y1, -1)):
        cv.rect(0, min(yy, yy + up * 5), W, max(yy, yy + up * 5), p["second"])
        for i in range(int(W / 14) + 1):
            tx = i * 14
            cv.poly([(tx, yy + up * 5), (tx + 14, yy + up * 5), (tx + 7, yy + up * 12)], p["main"])


def mountain_profile(rng, peak_x, top, base, spread, spread_right=None):
    p1, p2 = rng.uniform(0, 6.28), rng.uniform(0, 6.28)
    spread_right = spread if spread_right is None else spread_right

    def f(x):
        t = min(1.0, abs(x - peak_x) / (spread if x < peak_x else spread_right))
        s = t * t * (3 - 2 * t)
        return top + (base - top) * s + 12 * math.sin(x / 61 + p1) + 5 * math.sin(x / 23 + p2)

    return f


def slope_house(cv: Canvas, x, yg, w, h, pal=MOUNTAIN, gable=False):
    rng = cv.rng
    wall = rng.choice(pal["walls"])
    if gable:
        cv.rect(x, yg - h, x + w, yg, wall)
        cv.poly([(x - 4, yg - h + 2), (x + w / 2, yg - h - w * 0.45), (x + w + 4, yg - h + 2)], pal["roof"])
        cv.poly([(x + 4, yg - h + 2), (x + w / 2, yg - h - w * 0.35), (x + w - 4, yg - h + 2)], shade(wall, 0.9))
    else:
        cv.rect(x, yg - h, x + w, yg, wall)
        rh = h * 0.6
        cv.poly(
            [
                (x - w * 0.08, yg - h + 2),
                (x + w * 1.08, yg - h + 2),
                (x + w * 0.94, yg - h - rh),
                (x + w * 0.06, yg - h - rh),
            ],
            pal["roof"],
        )
        cv.line([(x + w * 0.06, yg - h - rh), (x + w * 0.94, yg - h - rh)], pal["roof_light"], 2)
        for xx in frange(x, x + w, 7):
            cv.line(
                [(xx, yg - h + 1), (x + w / 2 + (xx - x - w / 2) * 0.88, yg - h - rh)],
                alpha(pal["roof_light"], 120),
                0.7,
            )
    cv.rect(x, yg - h * 0.32, x + w, yg, shade(wall, 0.82))
    dx = x + w * rng.uniform(0.15, 0.6)
    cv.rect(dx, yg - h * 0.62, dx + w * 0.18, yg, (44, 38, 34))
    if w > 40:
        wx = x + w * 0.72
        cv.rect(wx, yg - h * 0.7, wx + w * 0.12, yg - h * 0.5, (50, 46, 44))


def hillside_village(
    cv: Canvas,
    f,
    y_top,
    y_bottom,
    step,
    x_min=0,
    x_max=W,
    density=0.85,
    scale=1.0,
    greens=((70, 112, 70), (86, 130, 80)),
):
    """Rows of houses stacked up a slope whose surface is y = f(x)."""
    rng = cv.rng
    y = y_top
    while y <= y_bottom:
        t = (y - y_top) / max(1, y_bottom - y_top)
        s = scale * (0.55 + 0.6 * t)
        hh = 26 * s
        xs = [x for x in range(int(x_min), int(x_max), 4) if f(x) < y - hh * 1.6]
        if xs:
            x = xs[0] + rng.uniform(0, 20)
            while x < xs[-1] - 30 * s:
                w = rng.uniform(36, 66) * s
                if f(x) < y - hh * 1.6 and f(x + w) < y - hh * 1.6:
                    if rng.random() < density:
                        slope_house(cv, x, y + rng.uniform(-3, 3), w, hh, gable=rng.random() < 0.25)
                    elif rng.random() < 0.6:
                        round_tree(cv, x + w / 2, y, hh * 1.6, greens)
                x += w + rng.uniform(2, 16) * s
        y += step * (0.8 + 0.4 * t)


def terraces(cv: Canvas, y0, y1, n, colors, edge=(222, 214, 170), amp=16):
    rng = cv.rng
    curves = []
    for i in range(n + 1):
        y = y0 + (y1 - y0) * (i / n) ** 1.2
        ph, per = rng.uniform(0, 6.28), rng.uniform(120, 260)
        a = amp * (0.6 + i / n)
        curves.append([(x, y + a * math.sin(x / per + ph)) for x in frange(-20, W + 30, 10)])
    for i in range(n):
        cv.poly(curves[i] + curves[i + 1][::-1], colors[i % len(colors)])
        cv.line(curves[i + 1], alpha(edge, 150), 2)


def tea_rows(cv: Canvas, f, y_from, y_to, spacing, green=(44, 100, 60)):
    """Rounded rows of tea bushes following the contours of a hill y = f(x)."""
    rng = cv.rng
    y = y_from
    while y < y_to:
        r = 6 + 14 * (y - y_from) / max(1, y_to - y_from)
        ph = rng.uniform(0, 6.28)
        for x in frange(-10, W + 10, r * 1.1):
            yy = y + 8 * math.sin(x / 140 + ph)
            if yy > f(x) + r:
                cv.ellipse(x - r * 1.2, yy - r, x + r * 1.2, yy + r * 0.6, shade(green, rng.uniform(0.9, 1.1)))
                cv.ellipse(x - r * 0.8, yy - r * 0.9, x + r * 0.5, yy - r * 0.3, alpha(shade(green, 1.4), 160))
        y += spacing + r * 0.8


def waterwheel(cv: Canvas, cx, cy, r, wood=(112, 84, 58)):
    cv.circle(cx, cy, r, None, wood, 6)
    cv.circle(cx, cy, r * 0.78, None, shade(wood, 1.2), 3)
    for k in range(12):
        a = k * math.pi / 6
        cv.line([(cx, cy), (cx + math.cos(a) * r, cy + math.sin(a) * r)], wood, 3)
        px, py = cx + math.cos(a) * r, cy + math.sin(a) * r
        cv.poly([(px - 7, py - 7), (px + 7, py - 7), (px + 7, py + 7), (px - 7, py + 7)], shade(wood, 0.8))
    cv.circle(cx, cy, r * 0.12, shade(wood, 0.7))
    cv.rect(cx - 6, cy, cx + 6, cy + r * 1.1, shade(wood, 0.7))


def bunting(cv: Canvas, x0, y0, x1, y1, colors, sag=30):
    pts = [(x0 + (x1 - x0) * t / 20, y0 + (y1 - y0) * t / 20 + sag * math.sin(math.pi * t / 20)) for t in range(21)]
    cv.line(pts, (80, 70, 60), 1.5)
    for i in range(len(pts) - 1):
        (ax, ay), (bx, by) = pts[i], pts[i + 1]
        cv.poly([(ax, ay), (bx, by), ((ax + bx) / 2, (ay + by) / 2 + 22)], colors[i % len(colors)])


# --------------------------------------------------------------------------
# scenes


def pick_sky(cv: Canvas, options=("dawn", "noon", "dusk", "mist", "spring")):
    return cv.rng.choice(options)


def scene_water_town(cv: Canvas, zoom=1.0):
    """Fengjian: wok-ear houses on a canal, a granite arch bridge, boats, banyans."""
    rng = cv.rng
    kind = pick_sky(cv, ("dawn", "noon", "spring", "mist"))
    water = 690 if zoom == 1 else 790
    horizon = water - 170 * zoom
    sky(cv, kind, horizon)
    low = SKIES[kind][2]
    hill_layers(cv, horizon, low, (120, 150, 160), (110, 140, 120), n=2, top=horizon - 90, amp=40)
    greens = [(60, 104, 70), (78, 124, 82), (98, 146, 92)]
    for x in frange(-40, W + 60, 110 * zoom):
        round_tree(cv, x + rng.uniform(-20, 20), horizon + 30 * zoom, rng.uniform(90, 130) * zoom, greens)
    bank = 44 * zoom
    x = -30
    while x < W:
        if rng.random() < 0.7:
            w = rng.uniform(86, 120) * zoom
            wok_gable_house(cv, x, water - bank, w, rng.uniform(120, 165) * zoom)
        else:
            w = rng.uniform(150, 220) * zoom
            canton_front_house(cv, x, water - bank, w, rng.uniform(100, 130) * zoom)
        x += w + rng.uniform(6, 20) * zoom
    cv.rect(0, water - bank - 4, W, water, (184, 176, 160))  # granite embankment
    for xx in frange(0, W, 46 * zoom):
        cv.line([(xx, water - bank - 4), (xx, water)], (160, 152, 138), 1)
    cv.line([(0, water - bank / 2), (W, water - bank / 2)], (160, 152, 138), 1)
    # three-arch granite bridge
    arches = 3
    bx = rng.uniform(W * 0.35, W * 0.65) if zoom == 1 else W * 0.5
    span = 170 * arches * zoom
    stone = (178, 170, 156)
    rise = 90 * zoom
    deck_y = water - 110 * zoom
    x_start, x_end = bx - span / 2 - rise, bx + span / 2 + rise

    def deck(px):
        t = (px - x_start) / (x_end - x_start)
        return deck_y + rise * abs(2 * t - 1) ** 2 - 4

    hump = [(x_start + t * (x_end - x_start) / 30, deck(x_start + t * (x_end - x_start) / 30)) for t in range(31)]
    cv.poly(hump + [(x_end, water), (x_start, water)], stone)
    cv.line(hump, shade(stone, 0.75), 5 * zoom)
    for k in range(arches):
        ax = bx - span / 2 + (k + 0.5) * span / arches
        aw = span / arches * (0.78 if k == arches // 2 else 0.66)
        ah = aw * 0.55
        cv.pieslice(ax - aw / 2, water - ah, ax + aw / 2, water + ah, 180, 360, (58, 70, 74))
        cv.line(
            [(ax - aw / 2 + i * aw / 12, water - ah * math.sin(math.pi * i / 12)) for i in range(13)],
            shade(stone, 0.8),
            3 * zoom,
        )
    for px in frange(x_start + 10, x_end - 10, 24 * zoom):  # railing posts
        cv.rect(px - 2 * zoom, deck(px) - 18 * zoom, px + 2 * zoom, deck(px), shade(stone, 0.85))
    # water with reflections
    cv.reflect(water, H, mix(low, (60, 110, 110), 0.5), (40, 80, 86), strength=0.5)
    ripples(cv, water, H, (240, 244, 236))
    for _ in range(rng.randint(1, 3) if zoom == 1 else 1):
        boat(cv, rng.uniform(120, W - 120), rng.uniform(water + 70, H - 80), rng.uniform(60, 90) * zoom)
    if zoom == 1:
        banyan(cv, rng.choice((90, W - 90)), water - 30, 170, [(52, 92, 60), (70, 112, 70), (90, 136, 86)])


def scene_shawan(cv: Canvas):
    """Shawan: an ancestral hall on its square, wok-ear houses, a banyan."""
    rng = cv.rng
    kind = pick_sky(cv, ("dawn", "noon", "spring"))
    horizon = 560
    sky(cv, kind, horizon)
    low = SKIES[kind][2]
    hill_layers(cv, horizon, low, (126, 150, 168), (120, 146, 130), n=2, top=horizon - 110, amp=40)
    greens = [(62, 104, 70), (82, 128, 84)]
    for x in frange(-40, W + 60, 120):
        round_tree(cv, x + rng.uniform(-20, 20), horizon + 10, rng.uniform(90, 120), greens)
    yg = 740
    x = -40
    while x < W:
        w = rng.uniform(90, 118)
        wok_gable_house(cv, x, yg - 30, w, rng.uniform(150, 190))
        x += w + rng.uniform(4, 14)
    hall_w = 560
    ancestral_hall(cv, W / 2 - hall_w / 2, yg, hall_w, 240)
    # the square in front, with a wall of oyster shells (蚝壳墙) at one side
    cv.vgradient(0, yg, W, H, (206, 198, 178), (176, 166, 146))
    for k in range(22):
        cv.line([(W / 2 + (k - 11) * 40, yg), (W / 2 + (k - 11) * 150, H)], (168, 158, 140), 1)
    ox0, ox1 = W - 380, W - 40
    cv.rect(ox0, yg - 150, ox1, yg + 20, (150, 144, 134))
    for yy in frange(yg - 146, yg + 16, 9):
        for xx in frange(ox0 + 4 + (yy % 18) / 2, ox1 - 6, 14):
            cv.ellipse(xx - 6, yy - 3, xx + 6, yy + 4, (206, 200, 188), (120, 114, 104), 1)
    cv.rect(ox0 - 4, yg - 160, ox1 + 4, yg - 148, CANTON["roof"])
    banyan(cv, 170, yg + 70, 200, [(50, 90, 58), (68, 110, 70), (92, 138, 88)])
    for _ in range(5):
        px = rng.uniform(400, W - 420)
        py = rng.uniform(yg + 60, H - 60)
        cv.ellipse(px - 7, py - 34, px + 7, py - 20, (60, 50, 44))
        cv.rect(px - 8, py - 20, px + 8, py + 4, rng.choice([(180, 70, 60), (60, 100, 150), (220, 210, 190)]))


def scene_zili(cv: Canvas):
    """Zili: watchtowers (碉楼) rising over rice fields, ponds and bananas."""
    rng = cv.rng
    kind = pick_sky(cv, ("dawn", "noon", "dusk", "spring"))
    horizon = 560
    sky(cv, kind, horizon)
    low = SKIES[kind][2]
    hill_layers(cv, horizon, low, (120, 150, 168), (110, 140, 118), n=2, top=horizon - 120, amp=50)
    greens = [(64, 108, 68), (84, 130, 80)]
    for x in frange(-40, W + 60, 90):
        round_tree(cv, x + rng.uniform(-20, 20), horizon + 20, rng.uniform(70, 110), greens)
    yg = 650
    xs = sorted(rng.sample(range(150, W - 250, 60), 4))
    for i, x in enumerate(xs):
        h = rng.uniform(300, 440)
        w = rng.uniform(88, 120)
        body = rng.choice([(216, 206, 180), (200, 196, 186), (226, 214, 186), (190, 176, 150)])
        diaolou(cv, x, yg, w, h, body, top_style=i % 3)
    for x in frange(-20, W, 150):
        canton_front_house(cv, x + rng.uniform(0, 30), yg + 10, rng.uniform(100, 130), 70)
    fields(cv, yg + 10, H)
    px = rng.uniform(300, W - 700)
    cv.ellipse(px, yg + 120, px + 560, yg + 250, (104, 150, 160))
    cv.ellipse(px + 30, yg + 135, px + 530, yg + 235, (128, 172, 178))
    for x in (60, 190, W - 170, W - 60):
        banana(cv, x + rng.uniform(-20, 20), H - rng.uniform(40, 120), rng.uniform(170, 230))
    round_tree(cv, rng.uniform(W * 0.45, W * 0.6), H - 40, 150, greens)


def scene_zhuji(cv: Canvas):
    """Zhuji Lane: a cobbled lane leading to a gate tower, houses on both sides, a small pagoda."""
    rng = cv.rng
    kind = pick_sky(cv, ("dawn", "mist", "spring"))
    horizon = 600
    sky(cv, kind, horizon)
    low = SKIES[kind][2]
    hill_layers(cv, horizon, low, (120, 140, 150), (104, 128, 110), n=3, top=horizon - 200, amp=55)
    pagoda(cv, W * 0.78, horizon + 40, 60, 260)
    yg = 690
    gate_tower(cv, W / 2, yg, 300, 250)
    # houses on both sides, getting bigger towards the viewer
    for side in (-1, 1):
        for k in range(5):
            t = k / 4
            w = 120 + 80 * t
            h = 110 + 150 * t
            near_x = W / 2 + side * (170 + 420 * t**1.3)
            yb = yg + 70 * t**1.6 + 10
            x = near_x if side > 0 else near_x - w
            if k % 2:
                wok_gable_house(cv, x, yb, w, h * 0.8)
            else:
                canton_front_house(cv, x, yb, w, h * 0.7, brick=rng.choice([(150, 146, 140), (128, 126, 122)]))
    # the cobbled lane
    cv.poly([(W / 2 - 80, yg), (W / 2 + 80, yg), (W / 2 + 600, H), (W / 2 - 600, H)], (170, 160, 140))
    for _ in range(260):
        t = rng.random() ** 0.7
        y = yg + (H - yg) * t
        half = 80 + 520 * t
        x = W / 2 + rng.uniform(-half, half)
        r = 3 + 12 * t
        cv.ellipse(
            x - r, y - r * 0.6, x + r, y + r * 0.6, rng.choice([(150, 140, 122), (186, 176, 156), (132, 124, 110)])
        )
    for side in (-1, 1):
        cv.poly(
            [(W / 2 + side * 80, yg), (W / 2 + side * 600, H), (W / 2 + side * 800, H), (W / 2 + side * 90, yg)],
            (120, 116, 104),
        )
    round_tree(cv, 120, H - 30, 220, [(58, 100, 64), (74, 120, 76), (96, 140, 90)])


def scene_hakka_weilong(cv: Canvas, pomelo=True):
    """Qiaoxiang: round-dragon houses (围龙屋) at the foot of wooded hills, fields and pomelo trees."""
    rng = cv.rng
    kind = pick_sky(cv, ("dawn", "noon", "mist", "spring"))
    horizon = 420
    sky(cv, kind, horizon)
    low = SKIES[kind][2]
    hill_layers(cv, horizon + 80, low, (110, 140, 150), (80, 120, 84), n=3, top=horizon - 140, amp=70)
    greens = [(52, 96, 60), (70, 116, 70)]
    for x in frange(-20, W + 40, 50):
        fir(cv, x + rng.uniform(-10, 10), horizon + 150 + rng.uniform(0, 30), rng.uniform(60, 90), greens[0])
    cv.vgradient(0, horizon + 170, W, H, (150, 176, 96), (118, 150, 78))
    for k in range(9):
        y = horizon + 190 + k * k * 7
        cv.line([(0, y), (W, y + rng.uniform(-10, 10))], (132, 160, 84), 2)
    main_x = rng.uniform(W * 0.38, W * 0.62)
    weilongwu(cv, main_x, 700, 720)
    other = main_x - 560 if main_x > W / 2 else main_x + 560
    weilongwu(cv, other, 560, 380)
    if pomelo:
        for _ in range(9):
            x = rng.choice([rng.uniform(20, main_x - 420), rng.uniform(main_x + 420, W - 20)])
            y = rng.uniform(800, H - 20)
            round_tree(cv, x, y, rng.uniform(90, 130), [(58, 110, 64), (80, 134, 78)])
            for _ in range(6):
                fx, fy = x + rng.uniform(-40, 40), y - rng.uniform(60, 120)
                cv.circle(fx, fy, 7, (236, 212, 90))


def scene_linzhai(cv: Canvas):
    """Linzhai: four-cornered fortified houses (四角楼) in a basin of paddy fields and lotus ponds."""
    rng = cv.rng
    kind = pick_sky(cv, ("dawn", "noon", "spring"))
    horizon = 470
    sky(cv, kind, horizon)
    low = SKIES[kind][2]
    hill_layers(cv, horizon + 20, low, (110, 134, 150), (84, 118, 92), n=3, top=horizon - 180, amp=80)
    cv.vgradient(0, horizon + 40, W, H, (164, 184, 100), (128, 160, 80))
    for k in range(12):
        y = horizon + 50 + k * k * 4
        cv.line([(0, y), (W, y + rng.uniform(-8, 8))], (146, 170, 88), 2)
    spots = [(W * 0.22, 590, 330), (W * 0.72, 560, 300), (W * 0.5, 780, 520)]
    for x, y, w in spots:
        sijiaolou(
            cv, x + rng.uniform(-30, 30), y, w, wall=rng.choice([(228, 222, 206), (214, 206, 188), (232, 226, 214)])
        )
    # a lotus pond in front
    py = 870
    cv.ellipse(-100, py, W * 0.45, py + 200, (96, 146, 150))
    for _ in range(40):
        lx, ly = rng.uniform(0, W * 0.42), rng.uniform(py + 20, H)
        r = rng.uniform(10, 20)
        cv.ellipse(lx - r, ly - r * 0.45, lx + r, ly + r * 0.45, rng.choice([(70, 134, 80), (90, 150, 90)]))
        if rng.random() < 0.2:
            cv.circle(lx, ly - 12, 6, (236, 150, 170))
    for x in (W - 120, W - 260):
        round_tree(cv, x, H - 10, 200, [(56, 100, 62), (74, 124, 76)])


def scene_longhu(cv: Canvas):
    """Longhu: Teochew halls with curved, inlaid ridges on the west bank of the Han River."""
    rng = cv.rng
    kind = pick_sky(cv, ("dawn", "noon", "dusk", "spring"))
    horizon = 520
    sky(cv, kind, horizon)
    low = SKIES[kind][2]
    hill_layers(cv, horizon, low, (128, 150, 170), (112, 140, 128), n=2, top=horizon - 100, amp=40)
    for x in frange(-20, W + 40, 100):
        round_tree(cv, x + rng.uniform(-20, 20), horizon + 40, rng.uniform(80, 120), [(62, 104, 72), (82, 126, 86)])
    yg = 720
    x = -40
    shapes = ["metal", "water", "fire", "wood"]
    i = 0
    while x < W:
        if i % 3 == 1:
            w = rng.uniform(300, 380)
            teochew_hall(cv, x, yg, w, rng.uniform(170, 200))
        else:
            w = rng.uniform(110, 140)
            teochew_gable(cv, x, yg, w, rng.uniform(130, 160), shapes[i % 4])
        x += w + rng.uniform(8, 20)
        i += 1
    cv.rect(0, yg, W, yg + 30, (186, 178, 160))
    cv.rect(0, yg + 30, W, yg + 46, (150, 142, 126))
    cv.reflect(yg + 46, H, mix(low, (80, 120, 130), 0.5), (56, 92, 100), strength=0.55)
    ripples(cv, yg + 46, H, (240, 240, 232))
    for _ in range(2):
        boat(cv, rng.uniform(150, W - 150), rng.uniform(yg + 120, H - 60), rng.uniform(70, 100))


def scene_qianmei(cv: Canvas):
    """Qianmei: a great Teochew mansion with many ridges and a Western-style villa, behind a pond."""
    rng = cv.rng
    kind = pick_sky(cv, ("noon", "dawn", "spring", "dusk"))
    horizon = 500
    sky(cv, kind, horizon)
    low = SKIES[kind][2]
    hill_layers(cv, horizon, low, (128, 150, 170), (110, 140, 126), n=2, top=horizon - 90, amp=36)
    # rows of ridges one behind the other (the many halls of the residence)
    for row in range(3):
        yg = 560 + row * 55
        x = -60 + row * 40
        while x < W:
            w = rng.uniform(220, 320)
            teochew_hall(cv, x, yg, w, 90 + row * 25, inlay=row == 2)
            x += w + rng.uniform(10, 30)
    yg = 760
    villa_x = rng.choice((80, W - 460))
    western_villa(cv, villa_x, yg, 380, 260)
    hx = 560 if villa_x < W / 2 else 120
    teochew_hall(cv, hx, yg, 560, 230)
    cv.rect(0, yg, W, yg + 26, (196, 188, 170))
    cv.reflect(yg + 26, H, mix(low, (90, 130, 130), 0.5), (60, 96, 98), strength=0.5)
    ripples(cv, yg + 26, H, (240, 240, 232), 70)
    for x in (30, W - 40):
        round_tree(cv, x, yg + 10, 200, [(56, 100, 66), (76, 124, 80)])


def scene_mountain(cv: Canvas, group: str, variant: str):
    """A Yao, Zhuang or She village stacked on a mountainside, with terraces and an embroidery band."""
    rng = cv.rng
    kind = pick_sky(cv, ("dawn", "mist", "noon", "spring"))
    horizon = 600
    sky(cv, kind, horizon)
    low = SKIES[kind][2]
    hill_layers(cv, horizon, low, (112, 130, 150), (96, 124, 110), n=2, top=220, amp=90)
    band_y = H - 64
    greens = ((66, 108, 70), (84, 128, 82))
    if variant == "valley":  # a village on a valley floor (Sanlian)
        f_left = mountain_profile(rng, 120, 200, 760, 700)
        f_right = mountain_profile(rng, W - 100, 240, 760, 620)
        cv.poly([(x, f_left(x)) for x in frange(-20, W + 20, 8)] + [(W + 20, H), (-20, H)], (92, 126, 88))
        cv.poly([(x, f_right(x)) for x in frange(-20, W + 20, 8)] + [(W + 20, H), (-20, H)], (102, 136, 92))
        for _ in range(40):
            x = rng.uniform(0, W)
            fir(cv, x, min(f_left(x), f_right(x)) + rng.uniform(30, 90), rng.uniform(40, 70), (58, 96, 62))
        if kind == "mist":
            mist_band(cv, 520, 120)
        cv.vgradient(0, 640, W, band_y, (176, 188, 110), (140, 164, 86))
        terraces(cv, 640, 740, 4, [(170, 184, 104), (150, 172, 92)], amp=10)
        for row, (yb, sc) in enumerate(((770, 0.8), (830, 1.0))):
            x = rng.uniform(20, 80)
            while x < W - 60:
                w = rng.uniform(70, 110) * sc
                if row == 0 or not (W * 0.32 < x + w and x < W * 0.68):
                    slope_house(cv, x, yb + rng.uniform(-8, 8), w, rng.uniform(48, 64) * sc, gable=rng.random() < 0.4)
                x += w + rng.uniform(10, 50)
        cv.rect(W * 0.33, 850, W * 0.67, 905, (196, 180, 150))  # the song-fair square
        cv.rect(W / 2 - 70, 790, W / 2 + 70, 850, (170, 60, 50))
        cv.poly([(W / 2 - 92, 792), (W / 2 + 92, 792), (W / 2, 752)], (64, 66, 72))
        bunting(cv, W * 0.3, 760, W * 0.7, 760, [(214, 56, 60), (240, 190, 60), (60, 130, 96), (60, 104, 180)])
        for x in (70, W - 70):
            round_tree(cv, x, band_y - 10, 170, greens)
    else:
        if variant == "dense":  # a steep slope rising to one side, houses stacked to the ridge
            peak = rng.uniform(W * 0.74, W * 0.86)
            f = mountain_profile(rng, peak, 110, 830, 1150, 420)
            rows = (260, 800, 34, 1.15, 0.92)
        elif variant == "wide":  # a broad flank, the village on its lower half
            peak = rng.uniform(W * 0.16, W * 0.28)
            f = mountain_profile(rng, peak, 160, 830, 420, 1250)
            rows = (420, 800, 40, 1.2, 0.8)
        elif variant == "wheel":
            peak = rng.uniform(W * 0.42, W * 0.58)
            f = mountain_profile(rng, peak, 180, 830, 760, 700)
            rows = (380, 700, 42, 1.0, 0.7)
        else:  # tea: gardens on a hill, the village lower down
            peak = rng.uniform(W * 0.2, W * 0.3)
            f = mountain_profile(rng, peak, 170, 830, 520, 1100)
            rows = None
        mcol = (84, 120, 84) if variant != "tea" else (96, 132, 84)
        cv.poly([(x, f(x)) for x in frange(-20, W + 20, 8)] + [(W + 20, H), (-20, H)], mcol)
        for _ in range(70):
            x = rng.uniform(0, W)
            fir(cv, x, f(x) + rng.uniform(20, 80), rng.uniform(34, 60), shade(mcol, 0.78))
        for _ in range(50):
            x = rng.uniform(0, W)
            y = rng.uniform(f(x) + 60, 820)
            if y > f(x) + 60:
                round_tree(cv, x, y, rng.uniform(26, 44), (shade(mcol, 0.85), shade(mcol, 1.05)))
        if kind == "mist":
            mist_band(cv, 330, 130)
        if variant == "tea":
            tea_rows(cv, f, 300, 800, 14)
            hillside_village(cv, f, 600, 800, 40, x_min=W * 0.55, x_max=W, density=0.8, scale=1.1)
            terraces(cv, 820, band_y, 2, [(120, 160, 84), (136, 172, 92)], amp=8)
        elif variant == "wheel":
            hillside_village(cv, f, rows[0], rows[1], rows[2], scale=rows[3], density=rows[4])
            terraces(cv, 720, 840, 3, [(150, 176, 92), (128, 164, 84)])
            river = [(x, 860 + 30 * math.sin(x / 200)) for x in frange(-20, W + 20, 10)]
            cv.poly(river + [(W + 20, band_y), (-20, band_y)], (96, 150, 168))
            ripples(cv, 860, band_y, (236, 244, 246), 40)
            wx = rng.uniform(W * 0.6, W * 0.8)
            waterwheel(cv, wx, 830, 80)
            slope_house(cv, wx + 100, 860, 110, 70)
        else:
            hillside_village(cv, f, rows[0], rows[1], rows[2], scale=rows[3], density=rows[4])
            terraces(cv, 810, band_y, 3, [(150, 176, 92), (176, 186, 104), (132, 166, 86)], amp=10)
    embroidery_band(cv, band_y, H, group)


# --------------------------------------------------------------------------
# detail pictures


def detail_bridge(cv: Canvas):
    scene_water_town(cv, zoom=1.7)


def detail_diaolou(cv: Canvas):
    rng = cv.rng
    kind = pick_sky(cv, ("dusk", "dawn"))
    sky(cv, kind, 700)
    hill_layers(cv, 700, SKIES[kind][2], (110, 130, 160), (96, 120, 112), n=2, top=560, amp=40)
    greens = [(64, 108, 68), (84, 130, 80)]
    for x in frange(-20, W + 40, 80):
        round_tree(cv, x + rng.uniform(-15, 15), 720, rng.uniform(60, 90), greens)
    cv.rect(0, 700, W, H, (126, 164, 80))
    diaolou(cv, W * 0.72, 800, 120, 420, (200, 194, 184), top_style=2)
    for x in (W * 0.58, W * 0.86):
        canton_front_house(cv, x, 810, 150, 80)
    fields(cv, 810, H)
    diaolou(cv, W * 0.36, 930, 230, 780, (224, 212, 186), top_style=0)
    cv.poly([(W * 0.36 + 60, 930), (W * 0.36 + 170, 930), (W * 0.36 + 330, H), (W * 0.36 - 80, H)], (196, 184, 150))
    for x in (110, 270, W - 140):
        banana(cv, x, H - 20, 260)


def detail_ridge(cv: Canvas):
    kind = pick_sky(cv, ("noon", "spring"))
    sky(cv, kind, 900)
    pal = TEOCHEW
    cv.poly([(-40, 1010), (W + 40, 1010), (W - 60, 600), (60, 600)], pal["roof"])
    for xx in frange(-40, W + 40, 22):
        cv.line([(xx, 1010), (W / 2 + (xx - W / 2) * 0.92, 600)], shade(pal["roof"], 1.2), 2)
    curved_ridge(cv, 40, W - 40, 590, 140, 44, pal)


def detail_embroidery(cv: Canvas, group="瑶族"):
    """Large embroidered motifs: eight-pointed stars and lozenges in bands."""
    p = BANDS[group]
    cv.rect(0, 0, W, H, p["base"])
    for k, y0 in enumerate((70, 400, 730)):
        h = 200
        cy = y0 + h / 2
        cv.rect(0, y0, W, y0 + 10, p["second"])
        cv.rect(0, y0 + h - 10, W, y0 + h, p["second"])
        cell = 220
        for i in range(-1, int(W / cell) + 2):
            cx = i * cell + cell / 2 + (k % 2) * cell / 2
            for a in range(8):
                ang = a * math.pi / 4
                tip = (cx + math.cos(ang) * 72, cy + math.sin(ang) * 72)
                left = (cx + math.cos(ang - 0.39) * 38, cy + math.sin(ang - 0.39) * 38)
                right = (cx + math.cos(ang + 0.39) * 38, cy + math.sin(ang + 0.39) * 38)
                cv.poly([(cx, cy), left, tip, right], p["main"] if a % 2 == 0 else p["second"])
            cv.circle(cx, cy, 15, p["third"])
            cv.circle(cx, cy, 6, p["main"])
            mx = cx + cell / 2
            cv.poly([(mx, cy - 32), (mx + 32, cy), (mx, cy + 32), (mx - 32, cy)], p["third"])
            cv.poly([(mx, cy - 15), (mx + 15, cy), (mx, cy + 15), (mx - 15, cy)], p["main"])
    for y in (335, 665):
        pts = [(x, y + (22 if (x // 44) % 2 else -22)) for x in range(-44, W + 88, 44)]
        cv.line(pts, p["main"], 9)


def detail_weilong_plan(cv: Canvas):
    kind = pick_sky(cv, ("noon", "spring"))
    sky(cv, kind, 300)
    hill_layers(cv, 330, SKIES[kind][2], (110, 140, 150), (80, 120, 84), n=2, top=180, amp=50)
    cv.vgradient(0, 330, W, H, (150, 176, 96), (120, 152, 80))
    weilongwu(cv, W / 2, 700, 1100)
    for x in (120, W - 120):
        round_tree(cv, x, 960, 200, [(58, 110, 64), (80, 134, 78)])


def detail_corner_tower(cv: Canvas):
    kind = pick_sky(cv, ("dawn", "noon"))
    sky(cv, kind, 760)
    hill_layers(cv, 760, SKIES[kind][2], (110, 134, 150), (84, 118, 92), n=3, top=520, amp=70)
    cv.rect(0, 760, W, H, (150, 176, 96))
    fields(cv, 760, H, ((150, 176, 96), (166, 186, 104), (138, 168, 88)))
    for x in (40, 150):
        round_tree(cv, x, 800, 150, [(56, 100, 62), (74, 124, 76)])
    sijiaolou(cv, W * 0.58, 920, 1040)
    cv.ellipse(-200, 930, 520, 1080, (96, 146, 150))


def story_dessert(cv: Canvas):
    """A bowl of double-skin milk (双皮奶) on a table, the water town blurred behind."""
    scene_water_town(cv)
    cv.img = cv.img.filter(ImageFilter.GaussianBlur(5 * S))
    cv._redraw()
    cv.rect(0, 720, W, H, (128, 86, 58))
    for yy in frange(730, H, 26):
        cv.line([(0, yy), (W, yy + 6)], (112, 74, 50), 2)
    bx, by = W * 0.5, 800
    cv.ellipse(bx - 290, by + 80, bx + 290, by + 150, (90, 60, 42))  # shadow
    cv.chord(bx - 270, by - 170, bx + 270, by + 150, 0, 180, (246, 244, 238))  # bowl
    cv.ellipse(bx - 270, by - 40, bx + 270, by + 40, (236, 232, 224))
    cv.ellipse(bx - 250, by - 30, bx + 250, by + 30, (250, 240, 214))  # milk surface
    cv.ellipse(bx - 230, by - 24, bx + 190, by + 20, (252, 246, 226))  # the skin
    cv.line([(bx - 200, by + 70), (bx + 200, by + 70)], (120, 160, 190), 4)  # blue rim line
    for k in range(5):
        cv.circle(bx - 60 + k * 30, by - 4 + (k % 2) * 6, 8, (150, 64, 48))  # red beans
    cv.poly(
        [(bx + 150, by - 10), (bx + 420, by - 140), (bx + 432, by - 124), (bx + 170, by + 8)], (240, 238, 232)
    )  # spoon
    cv.ellipse(bx + 100, by - 26, bx + 200, by + 14, (240, 238, 232))


def story_drums(cv: Canvas):
    """Long drums (长鼓) in front of a Pai Yao mountain village."""
    scene_mountain(cv, "瑶族", "dense")
    cv.rect(0, 700, W, H - 64, alpha((30, 26, 30), 90))
    for cx, cy, ang in ((W * 0.5 - 30, 820, -0.42), (W * 0.5 + 30, 820, 0.42)):
        ln = 560
        dx, dy = math.cos(ang) * ln / 2, math.sin(ang) * ln / 2
        nx, ny = -math.sin(ang), math.cos(ang)

        def width(t):
            return 16 + 36 * abs(2 * t - 1) ** 2.2

        side_a = [
            (cx - dx + 2 * dx * t + nx * width(t), cy - dy + 2 * dy * t + ny * width(t))
            for t in [i / 24 for i in range(25)]
        ]
        side_b = [
            (cx - dx + 2 * dx * t - nx * width(t), cy - dy + 2 * dy * t - ny * width(t))
            for t in [i / 24 for i in range(25)]
        ]
        cv.poly(side_a + side_b[::-1], (176, 52, 42))
        for t in (0.22, 0.36, 0.5, 0.64, 0.78):
            px, py = cx - dx + 2 * dx * t, cy - dy + 2 * dy * t
            cv.line(
                [(px + nx * width(t), py + ny * width(t)), (px - nx * width(t), py - ny * width(t))], (238, 190, 56), 5
            )
        for s in (-1, 1):
            ex, ey = cx + s * dx, cy + s * dy
            pts = [
                (
                    ex + nx * 52 * math.cos(a) + math.cos(ang) * 14 * math.sin(a),
                    ey + ny * 52 * math.cos(a) + math.sin(ang) * 14 * math.sin(a),
                )
                for a in [i * math.pi / 12 for i in range(24)]
            ]
            cv.poly(pts, (236, 220, 180))


# --------------------------------------------------------------------------
# the jobs: output path (under content/) and how to draw it


def village(slug):
    return f"villages/{slug}/cover.jpg"


JOBS = [
    (village("fengjian"), scene_water_town),
    ("villages/fengjian/detail.jpg", detail_bridge),
    (village("shawan"), scene_shawan),
    (village("zili"), scene_zili),
    ("villages/zili/detail.jpg", detail_diaolou),
    (village("zhuji"), scene_zhuji),
    (village("qiaoxiang"), scene_hakka_weilong),
    ("villages/qiaoxiang/detail.jpg", detail_weilong_plan),
    (village("linzhai"), scene_linzhai),
    ("villages/linzhai/detail.jpg", detail_corner_tower),
    (village("longhu"), scene_longhu),
    ("villages/longhu/detail.jpg", detail_ridge),
    (village("qianmei"), scene_qianmei),
    (village("nangang"), lambda cv: scene_mountain(cv, "瑶族", "dense")),
    ("villages/nangang/detail.jpg", lambda cv: detail_embroidery(cv, "瑶族")),
    (village("youling"), lambda cv: scene_mountain(cv, "瑶族", "wide")),
    (village("bibei"), lambda cv: scene_mountain(cv, "瑶族", "wheel")),
    (village("sanlian"), lambda cv: scene_mountain(cv, "壮族", "valley")),
    (village("shiguping"), lambda cv: scene_mountain(cv, "畲族", "tea")),
    ("stories/shuangpinai-water-town/cover.jpg", story_dessert),
    ("stories/yao-shuagetang/cover.jpg", story_drums),
    ("stories/hakka-weilongwu/cover.jpg", lambda cv: scene_hakka_weilong(cv, pomelo=False)),
]


def save(img: Image.Image, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    q = QUALITY
    while True:
        img.save(path, "JPEG", quality=q, optimize=True, progressive=True)
        if path.stat().st_size <= MAX_BYTES or q <= 50:
            return q
        q -= 5


def main(argv):
    only = argv[1:]
    for rel, draw in JOBS:
        if only and not any(o in rel for o in only):
            continue
        cv = Canvas(rel)
        draw(cv)
        path = CONTENT / rel
        q = save(cv.finish(), path)
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB  (quality {q})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
