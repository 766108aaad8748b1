"""Demo pictures drawn with Pillow: gradients and simple shapes evoking machines.

Each drawing is made at twice the size and scaled down, which smooths its edges.
"""

import math
from collections.abc import Callable
from io import BytesIO

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 900
SCALE = 2

Colour = tuple[int, int, int]


def _gradient(top: Colour, bottom: Colour) -> Image.Image:
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    column = Image.new("RGB", (1, h))
    for y in range(h):
        t = y / (h - 1)
        column.putpixel(
            (0, y),
            tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return column.resize((w, h))


def _s(*values: float) -> list[float]:
    return [v * SCALE for v in values]


def _grid(draw: ImageDraw.ImageDraw, colour: Colour, step: int = 80) -> None:
    for x in range(0, WIDTH, step):
        draw.line(_s(x, 0, x, HEIGHT), fill=colour, width=SCALE)
    for y in range(0, HEIGHT, step):
        draw.line(_s(0, y, WIDTH, y), fill=colour, width=SCALE)


def _gear(draw, cx, cy, radius, teeth, colour, hole_colour) -> None:
    points = []
    for i in range(teeth * 4):
        angle = 2 * math.pi * i / (teeth * 4)
        r = radius if i % 4 in (0, 1) else radius * 0.82
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon([v * SCALE for p in points for v in p], fill=colour)
    draw.ellipse(
        _s(cx - radius * 0.3, cy - radius * 0.3, cx + radius * 0.3, cy + radius * 0.3),
        fill=hole_colour,
    )


def draw_hero() -> Image.Image:
    """A factory with a saw-tooth roof at dusk, gears in the sky."""
    img = _gradient((16, 42, 84), (0, 128, 128))
    d = ImageDraw.Draw(img)
    _grid(d, (30, 70, 110))
    _gear(d, 1250, 230, 130, 12, (255, 184, 28), (20, 60, 100))
    _gear(d, 1430, 370, 80, 9, (255, 214, 102), (10, 90, 110))
    base = 720
    for i in range(6):
        x = 120 + i * 190
        d.polygon(
            _s(x, base, x, base - 160, x + 190, base - 250, x + 190, base),
            fill=(12, 30, 58),
        )
        d.rectangle(_s(x + 30, base - 120, x + 160, base - 90), fill=(255, 214, 102))
    d.rectangle(_s(0, base, WIDTH, HEIGHT), fill=(8, 22, 44))
    d.rectangle(_s(1300, 430, 1350, base), fill=(12, 30, 58))
    return img


def draw_printer() -> Image.Image:
    """Layers of a 3D-printed vase under a nozzle."""
    img = _gradient((250, 244, 235), (255, 205, 170))
    d = ImageDraw.Draw(img)
    cx, bottom, layers = 800, 780, 34
    for i in range(layers):
        y = bottom - i * 16
        half = 180 + 90 * math.sin(i / layers * math.pi * 1.4)
        hue = (230 - i * 3, 90 + i * 2, 40 + i)
        d.rounded_rectangle(
            _s(cx - half, y - 13, cx + half, y), radius=6 * SCALE, fill=hue
        )
    top = bottom - layers * 16
    d.rectangle(_s(300, top - 150, 1300, top - 120), fill=(60, 60, 70))
    d.polygon(
        _s(cx - 40, top - 120, cx + 40, top - 120, cx, top - 40), fill=(90, 90, 100)
    )
    d.rectangle(_s(200, bottom, 1400, bottom + 30), fill=(60, 60, 70))
    return img


def draw_robot() -> Image.Image:
    """A collaborative robot arm with rounded joints."""
    img = _gradient((225, 240, 250), (120, 170, 215))
    d = ImageDraw.Draw(img)
    _grid(d, (200, 222, 240))
    joints = [(560, 780), (560, 560), (900, 330), (1180, 460), (1180, 560)]
    for (x1, y1), (x2, y2) in zip(joints, joints[1:], strict=False):
        d.line(_s(x1, y1, x2, y2), fill=(240, 240, 245), width=90 * SCALE)
        d.line(_s(x1, y1, x2, y2), fill=(0, 102, 204), width=60 * SCALE)
    for x, y in joints[:-1]:
        d.ellipse(_s(x - 62, y - 62, x + 62, y + 62), fill=(30, 40, 60))
        d.ellipse(_s(x - 30, y - 30, x + 30, y + 30), fill=(255, 184, 28))
    d.rectangle(_s(1130, 560, 1150, 640), fill=(30, 40, 60))
    d.rectangle(_s(1210, 560, 1230, 640), fill=(30, 40, 60))
    d.rectangle(_s(420, 780, 700, 840), fill=(30, 40, 60))
    return img


def draw_cnc() -> Image.Image:
    """A spindle and tool over a milled part, with a gear."""
    img = _gradient((40, 44, 52), (90, 100, 115))
    d = ImageDraw.Draw(img)
    _grid(d, (60, 66, 78), step=60)
    d.rectangle(_s(300, 620, 1300, 820), fill=(170, 180, 190))
    for x in range(380, 1240, 120):
        d.rectangle(_s(x, 620, x + 60, 680), fill=(110, 120, 130))
    d.rectangle(_s(720, 120, 880, 360), fill=(210, 215, 222))
    d.rectangle(_s(780, 360, 820, 560), fill=(255, 184, 28))
    d.polygon(_s(780, 560, 820, 560, 800, 600), fill=(255, 184, 28))
    _gear(d, 1300, 260, 150, 14, (0, 160, 150), (40, 44, 52))
    return img


def draw_network() -> Image.Image:
    """Sensors and machines linked as a network: IoT and digital twins."""
    img = _gradient((10, 20, 45), (40, 20, 80))
    d = ImageDraw.Draw(img)
    nodes = [
        (260, 260),
        (520, 600),
        (780, 300),
        (1040, 640),
        (1320, 280),
        (1420, 700),
        (620, 150),
        (180, 720),
    ]
    links = [
        (0, 1),
        (0, 2),
        (1, 3),
        (2, 3),
        (2, 4),
        (3, 5),
        (4, 5),
        (2, 6),
        (1, 7),
        (6, 4),
    ]
    for a, b in links:
        d.line(_s(*nodes[a], *nodes[b]), fill=(90, 200, 250), width=6 * SCALE)
    for i, (x, y) in enumerate(nodes):
        r = 46 if i % 3 == 0 else 30
        d.ellipse(
            _s(x - r - 12, y - r - 12, x + r + 12, y + r + 12), fill=(40, 80, 140)
        )
        d.ellipse(
            _s(x - r, y - r, x + r, y + r),
            fill=(255, 184, 28) if i % 2 else (90, 200, 250),
        )
    return img


def draw_metrology() -> Image.Image:
    """A measuring probe over a part, with target circles."""
    img = _gradient((236, 242, 238), (160, 200, 180))
    d = ImageDraw.Draw(img)
    _grid(d, (210, 226, 216), step=50)
    cx, cy = 1100, 450
    for r, colour in [
        (300, (0, 110, 90)),
        (220, (236, 242, 238)),
        (150, (0, 110, 90)),
        (80, (236, 242, 238)),
    ]:
        d.ellipse(_s(cx - r, cy - r, cx + r, cy + r), fill=colour)
    d.line(_s(cx - 360, cy, cx + 360, cy), fill=(30, 40, 50), width=4 * SCALE)
    d.line(_s(cx, cy - 360, cx, cy + 360), fill=(30, 40, 50), width=4 * SCALE)
    d.rectangle(_s(200, 150, 600, 200), fill=(30, 40, 50))
    d.rectangle(_s(380, 200, 420, 520), fill=(30, 40, 50))
    d.ellipse(_s(375, 515, 425, 565), fill=(220, 40, 60))
    d.rectangle(_s(150, 600, 650, 760), fill=(120, 130, 140))
    return img


# key: (title, drawing). Titles describe the picture, so they serve as alt text.
IMAGES: dict[str, tuple[str, Callable[[], Image.Image]]] = {
    "hero": ("Capannoni industriali al tramonto con ingranaggi", draw_hero),
    "printer": ("Vaso stampato in 3D strato dopo strato sotto l'ugello", draw_printer),
    "robot": ("Braccio di robot collaborativo", draw_robot),
    "cnc": ("Mandrino di fresatrice CNC sopra un pezzo lavorato", draw_cnc),
    "network": ("Rete di sensori e macchine collegati", draw_network),
    "metrology": (
        "Tastatore di misura sopra un pezzo e cerchi di riferimento",
        draw_metrology,
    ),
}


def render_jpeg(draw: Callable[[], Image.Image]) -> bytes:
    img = draw().resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    img.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()
