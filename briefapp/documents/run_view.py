"""How a run is shown, in the coarse terms a fingerprint of what a reader sees
keeps: hidden or not, readable against its background or not, its size to
the point, its width, raised or lowered, spaced, struck out, in a symbol font.

Properties are resolved through the document defaults, the table style, the
paragraph style, the character style and the run itself (later ones win).
"""

from __future__ import annotations

from dataclasses import dataclass

from briefapp.documents.wordml import PPR, RPR, Element, W
from briefapp.documents.wordml import P as PARAGRAPH

_OFF = frozenset({"0", "false", "off", "none"})
_SYMBOL_FONTS = frozenset(
    {"symbol", "wingdings", "wingdings 2", "wingdings 3", "webdings", "marlett",
     "zapf dingbats", "zapfdingbats", "opensymbol", "mt extra"}
)  # fmt: skip
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_HIGHLIGHTS = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00",
    "magenta": "FF00FF", "red": "FF0000", "yellow": "FFFF00", "white": "FFFFFF",
    "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
    "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000",
    "darkGray": "808080", "lightGray": "C0C0C0",
}  # fmt: skip
_READABLE = 4.5
"""The contrast ratio below which text counts as hard to read (WCAG AA)."""


@dataclass(frozen=True, slots=True)
class _Style:
    based_on: str | None
    rpr: Element | None
    ppr: Element | None
    cell: Element | None


class RunStyles:
    """The styles part of a document, for resolving run properties."""

    def __init__(self, root: Element | None) -> None:
        self._styles: dict[str, _Style] = {}
        self._defaults: Element | None = None
        self.default_paragraph: str | None = None
        if root is None:
            return
        self._defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{RPR}")
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId", "")
            based = style.find(f"{W}basedOn")
            self._styles[style_id] = _Style(
                None if based is None else based.get(f"{W}val"),
                style.find(RPR),
                style.find(PPR),
                style.find(f"{W}tcPr"),
            )
            is_default = style.get(f"{W}default") in ("1", "true", "on")
            if style.get(f"{W}type") == "paragraph" and is_default:
                self.default_paragraph = style_id

    def chain(self, style_id: str | None) -> list[_Style]:
        """The style and those it is based on, the most basic first."""
        found: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            style = self._styles[style_id]
            found.append(style)
            style_id = style.based_on
        return found[::-1]

    @property
    def defaults(self) -> Element | None:
        return self._defaults


def run_token(run: Element, styles: RunStyles, page: str | None) -> str:
    """The run's shown properties as a short, stable text (``11`` for plain
    11 pt text; ``11 hidden``, ``11 faint``, ... otherwise)."""
    paragraph = _ancestor(run, PARAGRAPH)
    cell = _ancestor(run, f"{W}tc")
    table = _ancestor(run, f"{W}tbl")
    table_styles = styles.chain(_val(table, f"{W}tblPr/{W}tblStyle"))
    paragraph_styles = styles.chain(
        _val(paragraph, f"{PPR}/{W}pStyle") or styles.default_paragraph
    )
    character_styles = styles.chain(_val(run, f"{RPR}/{W}rStyle"))
    layers = [
        styles.defaults,
        *(s.rpr for s in table_styles),
        *(s.rpr for s in paragraph_styles),
        *(s.rpr for s in character_styles),
        run.find(RPR),
    ]
    props = _Resolved([layer for layer in layers if layer is not None])
    background = _first(
        props.shading(),
        _paragraph_shading(paragraph, paragraph_styles),
        _cell_shading(cell, table_styles),
        page,
    )
    return _token(props, background)


def background_of(element: Element | None) -> str | None:
    """The colour of a page background (``w:background``), if set."""
    return None if element is None else _colour(element.get(f"{W}color"))


class _Resolved:
    """The effective value of each run property: the last layer setting it."""

    def __init__(self, layers: list[Element]) -> None:
        self._found: dict[str, Element] = {}
        for layer in layers:
            for child in layer:
                if isinstance(child.tag, str):
                    self._found[child.tag] = child

    def get(self, name: str) -> Element | None:
        return self._found.get(f"{W}{name}")

    def on(self, name: str) -> bool:
        element = self.get(name)
        return element is not None and element.get(f"{W}val", "1") not in _OFF

    def number(self, name: str, default: int = 0) -> int:
        element = self.get(name)
        try:
            return default if element is None else int(element.get(f"{W}val", ""))
        except ValueError:
            return default

    def shading(self) -> str | None:
        highlight = self.get("highlight")
        if highlight is not None and highlight.get(f"{W}val") in _HIGHLIGHTS:
            return _HIGHLIGHTS[highlight.get(f"{W}val")]
        return _shading(self.get("shd"))

    def effects(self) -> bool:
        return any(
            tag.startswith(_W14) and tag.endswith(("textFill", "textOutline"))
            for tag in self._found
        )


def _token(props: _Resolved, background: str | None) -> str:
    size = props.number("sz", 20)
    words = [str((size + 1) // 2)]
    if props.on("vanish") or props.on("specVanish"):
        words.append("hidden")
    if _contrast(_colour(_attr(props.get("color"))), background) < _READABLE:
        words.append("faint")
    width = props.number("w", 100)
    if round(width, -1) != 100:
        words.append(f"width{round(width, -1)}")
    position = round(props.number("position") / 2)
    if position:
        words.append(f"raised{position}")
    spacing = round(props.number("spacing") / 20)
    if spacing:
        words.append(f"spaced{spacing}")
    if props.on("strike") or props.on("dstrike"):
        words.append("struck")
    vertical = _attr(props.get("vertAlign"))
    if vertical in ("superscript", "subscript"):
        words.append(vertical)
    fonts = props.get("rFonts")
    if fonts is not None and (fonts.get(f"{W}ascii") or "").lower() in _SYMBOL_FONTS:
        words.append("symbols")
    if props.get("fitText") is not None:
        words.append("fitted")
    if props.effects():
        words.append("effects")
    return " ".join(words)


def _attr(element: Element | None) -> str | None:
    return None if element is None else element.get(f"{W}val")


def _val(element: Element | None, path: str) -> str | None:
    found = None if element is None else element.find(path)
    return None if found is None else found.get(f"{W}val")


def _ancestor(element: Element, tag: str) -> Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _first(*colours: str | None) -> str | None:
    return next((c for c in colours if c is not None), None)


def _colour(value: str | None) -> str | None:
    if value is None or len(value) != 6:
        return None  # "auto", or not a colour
    try:
        int(value, 16)
    except ValueError:
        return None
    return value.upper()


def _shading(shd: Element | None) -> str | None:
    if shd is None or (shd.get(f"{W}val") in ("nil", None) and not shd.get(f"{W}fill")):
        return None
    if shd.get(f"{W}val") == "solid":
        return _colour(shd.get(f"{W}color")) or "000000"
    return _colour(shd.get(f"{W}fill"))


def _paragraph_shading(paragraph: Element | None, chain: list[_Style]) -> str | None:
    layers = [s.ppr for s in chain]
    if paragraph is not None:
        layers.append(paragraph.find(PPR))
    found = None
    for layer in layers:
        shd = None if layer is None else layer.find(f"{W}shd")
        if shd is not None:
            found = _shading(shd)
    return found


def _cell_shading(cell: Element | None, chain: list[_Style]) -> str | None:
    direct = None if cell is None else cell.find(f"{W}tcPr/{W}shd")
    if direct is not None:
        return _shading(direct)
    if cell is None:
        return None
    found = None
    for style in chain:
        shd = None if style.cell is None else style.cell.find(f"{W}shd")
        if shd is not None:
            found = _shading(shd)
    return found


def _luminance(colour: str) -> float:
    channels = []
    for i in (0, 2, 4):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(foreground: str | None, background: str | None) -> float:
    """WCAG contrast ratio; automatic colour is chosen by Word to contrast."""
    if foreground is None:
        return 21.0
    lighter, darker = sorted(
        (_luminance(foreground), _luminance(background or "FFFFFF")), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)
