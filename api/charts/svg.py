"""Small SVG drawing: the page every chart shares (title, description, source line), scales,
ticks and number formats. Hand-written, so that the file is small, stable and accessible."""

import math
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
INK, MUTED, GRID, LINK = "#1b1b1b", "#4a4a4a", "#d0d4d9", "#0b4f9c"
# Okabe and Ito's colours, told apart by people with colour-vision deficiency too.
COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
LEFT, RIGHT = 78, 20  # room for the value axis' labels, and a margin


def text(x, y, words: str, size: int = 14, fill: str = INK, anchor: str = "start", **extra) -> str:
    attributes = "".join(
        f" {name.replace('_', '-')}={quoteattr(str(value))}" for name, value in extra.items()
    )
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}"{attributes}>{escape(words)}</text>'
    )


def wrap(words: str, width: int) -> list[str]:
    """Lines of at most `width` characters, broken at spaces (a long URL at `/` or `&`)."""
    lines, line = [], ""
    for word in words.split(" "):
        while len(word) > width:
            cut = max(word.rfind("/", 0, width), word.rfind("&", 0, width), width // 2)
            lines += [line] if line else []
            lines.append(word[:cut])
            line, word = "", word[cut:]
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


# The heading's characters a line: 40 in 22px type fit the width, with its margins.
TITLE_CHARS = 40


def below_heading(title: str) -> int:
    """Where a chart's body may start: below its heading, however many lines it takes."""
    return 66 + 26 * (len(wrap(title, TITLE_CHARS)) - 1)


def document(title: str, description: str, body: list[str], height: int, foot: list) -> bytes:
    """A whole SVG: its accessible name and description, a heading, the body, the foot lines
    (notes, the link to the data as a table, the source) at the bottom; a foot item given as
    (words, href) is a link."""
    foot_lines = []
    for item in foot:
        words, href = item if isinstance(item, tuple) else (item, None)
        foot_lines += [(line, href) for line in wrap(words, 84)]
    total = height + 19 * len(foot_lines) + 12
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total}" '
        f'width="{WIDTH}" height="{total}" role="img" aria-labelledby="title desc" '
        f"font-family={quoteattr(FONT)}>",
        f'<title id="title">{escape(title)}</title>',
        f'<desc id="desc">{escape(description)}</desc>',
        f'<rect width="{WIDTH}" height="{total}" fill="#ffffff"/>',
        *[
            text(16, 28 + 26 * number, line, size=22, font_weight="600")
            for number, line in enumerate(wrap(title, TITLE_CHARS))
        ],
        *body,
        *[
            _linked(text(16, height + 19 * (number + 1), line, 13, LINK if href else MUTED), href)
            for number, (line, href) in enumerate(foot_lines)
        ],
        "</svg>",
    ]
    return "\n".join(parts).encode()


def _linked(element: str, href: str | None) -> str:
    return f"<a href={quoteattr(href)}>{element}</a>" if href else element


def ticks(top: float) -> list[float]:
    """Round values from 0 to at least `top`, four to six of them."""
    if top <= 0:
        return [0.0, 1.0]
    rough = top / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(power * f for f in (1, 2, 2.5, 5, 10) if power * f >= rough)
    return [step * index for index in range(math.ceil(top / step - 1e-9) + 1)]


def number(value: float) -> str:
    """A value for an axis or a label: no more digits than a reader needs."""
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def plain(value) -> str:
    """A figure as data: the exact decimal, for `data-value` attributes that tests and scripts
    read back."""
    return format(Decimal(value).normalize(), "f") if value is not None else ""
