"""What a run of text looks like on the page, its formatting resolved as Word does.

Word takes a run's look from the document defaults, the table style (with the
conditional formats of its first row, bands and corners that the table's
``w:tblLook`` switches on), the paragraph style and its bases, the character
style and its bases, then the run's own properties; what stands behind the
text comes from its highlight, its shading, the paragraph's, the cell's, the
table's and the page's. ``StyleSheet.run`` gives all of it for one ``w:r``.

Two readers show a file: Word and LibreOffice. Where they may differ the
result keeps both possibilities (a theme colour and the colour written beside
it; a page background that is not printed), and a toggle such as
``w:vanish`` that any style level switches on counts as on unless the run
itself switches it off (Word's rule makes two levels cancel out, which
LibreOffice does not follow).
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from briefapp.documents.wordml import PPR, RPR, Element, W

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
WHITE, BLACK = "FFFFFF", "000000"
DEFAULT_SIZE = 20  # half-points: 10 pt when nothing says otherwise
HIGHLIGHTS = {
    "black": "000000", "blue": "0000FF", "cyan": "00FFFF", "green": "00FF00",
    "magenta": "FF00FF", "red": "FF0000", "yellow": "FFFF00", "white": "FFFFFF",
    "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
    "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000",
    "darkGray": "808080", "lightGray": "C0C0C0",
}  # fmt: skip
SYMBOL_FONTS = frozenset(
    {
        "symbol", "wingdings", "wingdings 2", "wingdings 3", "webdings",
        "marlett", "zapf dingbats", "zapfdingbats", "dingbats", "mt extra",
        "opensymbol", "bookshelf symbol 7", "ms outlook", "ms reference specialty",
        "segoe mdl2 assets", "symbol mt",
    }
)  # fmt: skip
_THEME_SLOTS = {
    "dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2",
    "text1": "dk1", "background1": "lt1", "text2": "dk2", "background2": "lt2",
    "hyperlink": "hlink", "followedHyperlink": "folHlink",
    **{f"accent{n}": f"accent{n}" for n in range(1, 7)},
}  # fmt: skip
_LOOKS = ("emboss", "imprint", "outline", "shadow")
# The order in which Word lays a table style's conditional formats over each other.
_CONDITIONS = (
    "wholeTable", "band1Vert", "band2Vert", "band1Horz", "band2Horz",
    "firstCol", "lastCol", "firstRow", "lastRow", "neCell", "nwCell", "seCell",
    "swCell",
)  # fmt: skip
_LOOK_BITS = {
    "firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80, "lastColumn": 0x100,
    "noHBand": 0x200, "noVBand": 0x400,
}  # fmt: skip
_HEX = re.compile(r"[0-9A-Fa-f]{6}")
_MEASURE = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?)(mm|cm|in|pt|pc|pi)?")
_POINTS_PER = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "pc": 12.0}


@dataclass(frozen=True, slots=True)
class RunProperties:
    """A run's look on the page, resolved. Sizes in Word's units: ``size`` and
    ``position`` in half-points, ``spacing`` in twentieths of a point; ``None``
    where a value is written but cannot be read."""

    hidden: bool
    colours: tuple[str, ...]
    """Each colour the text may be drawn in: ``RRGGBB`` or ``auto``; empty
    when it is a theme colour with no theme to resolve it."""
    highlight: str | None
    shading: str | None
    """The run's own shading (``RRGGBB``), if any."""
    backgrounds: tuple[str, ...]
    """Each colour that may stand right behind the text (``RRGGBB``); empty
    when a theme colour of the shading cannot be resolved."""
    size: int | None
    width: int | None
    position: int | None
    spacing: int | None
    fonts: tuple[str, ...]
    """The fonts of the run's Latin text (``w:rFonts`` ascii and hAnsi)."""
    vertical: str
    struck: bool
    looks: frozenset[str]
    """Effects that change how letters are drawn: emboss, imprint, outline,
    shadow, an animation (``effect``), a Word 2010 text fill or outline."""
    fit_text: bool

    def drawn_colours(self) -> tuple[tuple[str, str], ...]:
        """Each (text colour, background) pair a reader may see, ``auto``
        resolved to black or white against its background as Word does."""
        return tuple(
            (auto_colour(background) if colour == "auto" else colour, background)
            for colour in self.colours
            for background in self.backgrounds
        )


@dataclass(frozen=True, slots=True)
class ParagraphProperties:
    """The parts of a paragraph's look that decide where and on what its
    text lands."""

    shading: tuple[str, ...] | None
    """The colours its shading paints (``None``: none; empty: unknown)."""
    framed: bool
    """Whether it is a frame (``w:framePr``), placed anywhere on the page."""
    measures: dict[str, int]
    """``w:ind`` and ``w:spacing`` in twips: left, right, firstLine,
    hanging, before, after, line (read with ``line_rule``)."""
    line_rule: str


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an ``RRGGBB`` colour."""
    channels = []
    for start in (0, 2, 4):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(
            value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        )
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``RRGGBB`` colours, 1 to 21."""
    lighter, darker = sorted(
        (relative_luminance(first), relative_luminance(second)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def auto_colour(background: str) -> str:
    """The colour Word draws "automatic" text in on ``background``."""
    return BLACK if relative_luminance(background) > 0.179 else WHITE


def is_symbol_font(name: str) -> bool:
    """Whether ``name`` is a font of symbols rather than letters."""
    return " ".join(name.lower().split()) in SYMBOL_FONTS


class StyleSheet:
    """A document's styles, defaults and theme, for resolving runs."""

    def __init__(
        self,
        styles: Element | None,
        theme: Element | None = None,
        page_background: str | None = None,
    ) -> None:
        self._styles: dict[str, Element] = {}
        self._defaults: dict[str, Element] = {}
        self._doc_rpr = self._doc_ppr = None
        if styles is not None:
            for style in styles.iter(f"{W}style"):
                self._styles.setdefault(str(style.get(f"{W}styleId")), style)
                if _on(style.get(f"{W}default")):
                    self._defaults.setdefault(style.get(f"{W}type", ""), style)
            defaults = styles.find(f"{W}docDefaults")
            if defaults is not None:
                self._doc_rpr = defaults.find(f"{W}rPrDefault/{RPR}")
                self._doc_ppr = defaults.find(f"{W}pPrDefault/{PPR}")
        self._theme = theme
        self._pages = (
            (WHITE,)
            if page_background in (None, WHITE)
            else (
                WHITE,
                str(page_background),
            )
        )

    @classmethod
    def of(cls, document: Any) -> StyleSheet:
        """The style sheet of a python-docx ``Document`` (nothing is added to it)."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from lxml import etree

        from briefapp.documents.package import SAFE_PARSER

        def related(kind: str) -> Any:
            try:
                return document.part.part_related_by(kind)
            except KeyError:
                return None

        styles = related(RT.STYLES)
        theme = related(RT.THEME)
        theme_root = (
            etree.fromstring(theme.blob, SAFE_PARSER) if theme is not None else None
        )
        background = document.element.find(f"{W}background")
        page = None
        if background is not None:
            shown = _colour_of(background.get(f"{W}color"), None, theme_root)
            page = shown[0] if shown and shown[0] != "auto" else None
        return cls(styles.element if styles is not None else None, theme_root, page)

    # -- runs ---------------------------------------------------------------

    def run(self, run: Element) -> RunProperties:
        """The resolved look of the ``w:r`` element ``run``."""
        paragraph = _ancestor(run, f"{W}p")
        layers = self._run_layers(run, paragraph)
        direct = layers[-1][-1] if layers and layers[-1] else None
        value = _Lookup(layers, direct)
        colours = self._colours(value.element("color"))
        highlight = value.attribute("highlight", "val")
        highlight_colour = HIGHLIGHTS.get(highlight or "")
        shading = self._shading(value.element("shd"))
        return RunProperties(
            hidden=value.toggle("vanish") or value.toggle("specVanish"),
            colours=colours,
            highlight=highlight_colour,
            shading=shading[0] if shading else None,
            backgrounds=self._backgrounds(run, paragraph, highlight_colour, shading),
            size=_number(value.attribute("sz", "val"), DEFAULT_SIZE, 2),
            width=_number(value.attribute("w", "val"), 100, 0, percent=True),
            position=_number(value.attribute("position", "val"), 0, 2),
            spacing=_number(value.attribute("spacing", "val"), 0, 20),
            fonts=self._fonts(layers),
            vertical=value.attribute("vertAlign", "val") or "baseline",
            struck=value.toggle("strike") or value.toggle("dstrike"),
            looks=self._looks(value),
            fit_text=value.element("fitText") is not None,
        )

    def _run_layers(self, run: Element, paragraph: Element | None) -> list[list[Any]]:
        """The rPr elements that apply, in chains from weakest to strongest:
        defaults, table style, paragraph style, character style, the run."""
        table = self._table_layers(run, RPR)
        pstyle = self._chain(_style_of(paragraph, PPR, "pStyle"), "paragraph")
        cstyle = self._chain(_style_of(run, RPR, "rStyle"), "character")
        return [
            [self._doc_rpr],
            table,
            [s.find(RPR) for s in pstyle],
            [s.find(RPR) for s in cstyle],
            [run.find(RPR)],
        ]

    def _looks(self, value: _Lookup) -> frozenset[str]:
        looks = {name for name in _LOOKS if value.toggle(name)}
        effect = value.attribute("effect", "val")
        if effect not in (None, "none"):
            looks.add("effect")
        for layer in value.all_elements():
            for child in layer:
                if isinstance(child.tag, str) and child.tag in (
                    f"{W14}textFill",
                    f"{W14}textOutline",
                ):
                    looks.add(child.tag.removeprefix(W14))
        return frozenset(looks)

    def _fonts(self, layers: list[list[Any]]) -> tuple[str, ...]:
        fonts = {"ascii": "", "hAnsi": ""}
        for chain in layers:
            for rpr in chain:
                found = rpr.find(f"{W}rFonts") if rpr is not None else None
                if found is None:
                    continue
                for slot in fonts:
                    themed = found.get(f"{W}{slot}Theme")
                    if themed is not None:
                        fonts[slot] = self._theme_font(themed)
                    elif found.get(f"{W}{slot}") is not None:
                        fonts[slot] = str(found.get(f"{W}{slot}"))
        return (fonts["ascii"], fonts["hAnsi"])

    def _theme_font(self, name: str) -> str:
        kind = "majorFont" if name.startswith("major") else "minorFont"
        if self._theme is None:
            return ""
        latin = self._theme.find(f".//{A}fontScheme/{A}{kind}/{A}latin")
        return "" if latin is None else str(latin.get("typeface", ""))

    def _colours(self, colour: Element | None) -> tuple[str, ...]:
        if colour is None:
            return ("auto",)
        return _colour_of(
            colour.get(f"{W}val"),
            colour.get(f"{W}themeColor"),
            self._theme,
            colour.get(f"{W}themeTint"),
            colour.get(f"{W}themeShade"),
        )

    # -- what stands behind the text ---------------------------------------

    def _backgrounds(
        self,
        run: Element,
        paragraph: Element | None,
        highlight: str | None,
        shading: tuple[str, ...] | None,
    ) -> tuple[str, ...]:
        if highlight is not None:
            # Highlight lies over the run's shading; count both if both are set.
            return (highlight, *(shading or ()))
        if shading is not None:
            return shading
        if paragraph is not None:
            behind = self.paragraph(paragraph).shading
            if behind is not None:
                return behind
        cell = _ancestor(run, f"{W}tc")
        if cell is not None:
            behind = self._shading(self._cell_shading(cell))
            if behind is not None:
                return behind
        return self._pages

    def _shading(self, shd: Element | None) -> tuple[str, ...] | None:
        """The colours a ``w:shd`` paints (None when it paints nothing)."""
        if shd is None:
            return None
        pattern = shd.get(f"{W}val", "clear")
        fill = _colour_of(
            shd.get(f"{W}fill"), shd.get(f"{W}themeFill"), self._theme,
            shd.get(f"{W}themeFillTint"), shd.get(f"{W}themeFillShade"),
        )  # fmt: skip
        if pattern == "nil" or (pattern == "clear" and fill == ("auto",)):
            return None
        if pattern == "clear":
            return fill
        ink = _colour_of(
            shd.get(f"{W}color"), shd.get(f"{W}themeColor"), self._theme,
            shd.get(f"{W}themeTint"), shd.get(f"{W}themeShade"),
        )  # fmt: skip
        ink = tuple(BLACK if c == "auto" else c for c in ink)
        base = tuple(WHITE if c == "auto" else c for c in fill)
        if not ink or not base:
            return ()
        if pattern == "solid":
            return ink
        percent = re.fullmatch(r"pct(\d+)", pattern)
        if percent:
            share = int(percent.group(1)) / 100
            return tuple(_blend(i, b, share) for i in ink for b in base)
        return (*ink, *base)  # stripes and crosses: the text meets both

    def _cell_shading(self, cell: Element) -> Element | None:
        direct = cell.find(f"{W}tcPr/{W}shd")
        if direct is not None:
            return direct
        for tcpr in reversed(self._table_layers(cell, f"{W}tcPr")):
            if tcpr is not None and tcpr.find(f"{W}shd") is not None:
                return tcpr.find(f"{W}shd")
        table = _ancestor(cell, f"{W}tbl")
        if table is not None:
            found = table.find(f"{W}tblPr/{W}shd")
            if found is not None:
                return found
            for tblpr in reversed(self._table_layers(cell, f"{W}tblPr")):
                if tblpr is not None and tblpr.find(f"{W}shd") is not None:
                    return tblpr.find(f"{W}shd")
        return None

    # -- paragraphs ---------------------------------------------------------

    def paragraph(self, paragraph: Element) -> ParagraphProperties:
        """The resolved placement and shading of the ``w:p`` ``paragraph``."""
        chain = self._chain(_style_of(paragraph, PPR, "pStyle"), "paragraph")
        layers = [
            self._doc_ppr,
            *self._table_layers(paragraph, PPR),
            *(s.find(PPR) for s in chain),
            paragraph.find(PPR),
        ]
        shading = None
        framed = False
        measures: dict[str, int] = {}
        rule = "auto"
        for layer in (layer for layer in layers if layer is not None):
            found = layer.find(f"{W}shd")
            shading = found if found is not None else shading
            framed = framed or layer.find(f"{W}framePr") is not None
            for name in ("ind", "spacing"):
                for key, value in _attributes(layer.find(f"{W}{name}")):
                    if key == "lineRule":
                        rule = value
                    elif key in _PLACES:
                        measures[_PLACES[key]] = _twips(value)
        return ParagraphProperties(self._shading(shading), framed, measures, rule)

    # -- styles -------------------------------------------------------------

    def _chain(self, style_id: str | None, kind: str) -> list[Element]:
        """The style and its bases, the base first (the default style when
        the element names none)."""
        style: Element | None = self._styles.get(style_id) if style_id else None
        if style is None or style.get(f"{W}type", kind) != kind:
            style = self._defaults.get(kind)
        chain: list[Element] = []
        while style is not None and style not in chain and len(chain) < 32:
            chain.append(style)
            based: Element | None = style.find(f"{W}basedOn")
            style = None if based is None else self._styles.get(based.get(f"{W}val"))
        return chain[::-1]

    def _table_layers(self, element: Element, tag: str) -> list[Any]:
        """The table style's ``tag`` elements (rPr, pPr, tcPr, tblPr) that
        apply to ``element``'s cell, weakest first."""
        cell = element if element.tag == f"{W}tc" else _ancestor(element, f"{W}tc")
        table = _ancestor(cell, f"{W}tbl") if cell is not None else None
        if table is None:
            return []
        chain = self._chain(_style_of(table, f"{W}tblPr", "tblStyle"), "table")
        layers = [style.find(tag) for style in chain]
        for condition in _conditions(table, cell):
            for style in chain:
                for conditional in style.findall(f"{W}tblStylePr"):
                    if conditional.get(f"{W}type") == condition:
                        layers.append(conditional.find(tag))
        return layers


# ``start``/``end`` are the newer names of ``left``/``right``.
_PLACES = {
    "left": "left", "start": "left", "right": "right", "end": "right",
    "firstLine": "firstLine", "hanging": "hanging", "before": "before",
    "after": "after", "line": "line",
}  # fmt: skip


class _Lookup:
    """Run properties across layered rPr chains, the strongest last."""

    def __init__(self, layers: list[list[Any]], direct: Element | None) -> None:
        self._chains = [[e for e in chain if e is not None] for chain in layers]
        self._direct = direct

    def all_elements(self) -> Iterator[Element]:
        for chain in self._chains:
            yield from chain

    def element(self, name: str) -> Element | None:
        found = None
        for rpr in self.all_elements():
            child = rpr.find(f"{W}{name}")
            if child is not None:
                found = child
        return found

    def attribute(self, name: str, attribute: str) -> str | None:
        found = self.element(name)
        return None if found is None else found.get(f"{W}{attribute}")

    def toggle(self, name: str) -> bool:
        """On if the run says so, or (when the run is silent) if any level's
        chain ends with it on."""
        if self._direct is not None:
            child = self._direct.find(f"{W}{name}")
            if child is not None:
                return _on(child.get(f"{W}val", "true"))
        for chain in self._chains:
            state = None
            for rpr in chain:
                child = rpr.find(f"{W}{name}")
                if child is not None:
                    state = _on(child.get(f"{W}val", "true"))
            if state:
                return True
        return False


def _attributes(element: Element | None) -> list[tuple[str, str]]:
    if element is None:
        return []
    return [(str(k).removeprefix(W), str(v)) for k, v in element.attrib.items()]


def _conditions(table: Element, cell: Element) -> list[str]:
    """The conditional formats of the table style that reach ``cell``, in
    the order Word applies them."""
    look = _look(table.find(f"{W}tblPr/{W}tblLook"))
    rows = table.findall(f"{W}tr")
    row = _ancestor(cell, f"{W}tr")
    row_at = rows.index(row) if row in rows else 0
    columns = _column_count(row) if row is not None else 1
    column_at = _column_of(cell)
    first_row = look["firstRow"] and row_at == 0
    last_row = look["lastRow"] and row_at == len(rows) - 1
    first_col = look["firstColumn"] and column_at == 0
    last_col = look["lastColumn"] and column_at == columns - 1
    found = ["wholeTable"]
    if not look["noVBand"] and not (first_col or last_col):
        band = (column_at - (1 if look["firstColumn"] else 0)) % 2
        found.append("band1Vert" if band == 0 else "band2Vert")
    if not look["noHBand"] and not (first_row or last_row):
        band = (row_at - (1 if look["firstRow"] else 0)) % 2
        found.append("band1Horz" if band == 0 else "band2Horz")
    found += [
        name
        for name, applies in (
            ("firstCol", first_col), ("lastCol", last_col),
            ("firstRow", first_row), ("lastRow", last_row),
            ("neCell", first_row and last_col), ("nwCell", first_row and first_col),
            ("seCell", last_row and last_col), ("swCell", last_row and first_col),
        )
        if applies
    ]  # fmt: skip
    return sorted(found, key=_CONDITIONS.index)


def _look(element: Element | None) -> dict[str, bool]:
    if element is None:
        return {name: False for name in _LOOK_BITS}
    bits = element.get(f"{W}val")
    number = int(bits, 16) if bits and re.fullmatch(r"[0-9A-Fa-f]{1,4}", bits) else 0
    return {
        name: _on(element.get(f"{W}{name}"))
        if element.get(f"{W}{name}") is not None
        else bool(number & bit)
        for name, bit in _LOOK_BITS.items()
    }


def _column_count(row: Element) -> int:
    return sum(_span(c) for c in row.findall(f"{W}tc")) + _grid_before(row)


def _column_of(cell: Element) -> int:
    row = cell.getparent()
    at = _grid_before(row)
    for other in row.findall(f"{W}tc"):
        if other is cell:
            return at
        at += _span(other)
    return at


def _span(cell: Element) -> int:
    span = cell.find(f"{W}tcPr/{W}gridSpan")
    value = span.get(f"{W}val", "1") if span is not None else "1"
    return int(value) if value.isdigit() else 1


def _grid_before(row: Element) -> int:
    before = row.find(f"{W}trPr/{W}gridBefore")
    value = before.get(f"{W}val", "0") if before is not None else "0"
    return int(value) if value.isdigit() else 0


def _ancestor(element: Element, tag: str) -> Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _style_of(element: Element | None, properties: str, name: str) -> str | None:
    if element is None:
        return None
    found = element.find(f"{properties}/{W}{name}")
    return None if found is None else found.get(f"{W}val")


def _on(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


def _number(
    value: str | None, default: int, per_point: int, *, percent: bool = False
) -> int | None:
    """A measure written in Word's unit (or in pt, mm, …: ``per_point`` units
    to a point); ``None`` if it cannot be read."""
    if value is None:
        return default
    value = value.strip().removesuffix("%") if percent else value.strip()
    match = _MEASURE.fullmatch(value)
    if match is None or (percent and match.group(2)):
        return None
    number, unit = float(match.group(1)), match.group(2)
    if unit:
        number = number * _POINTS_PER.get(unit, 12.0) * per_point
    return round(number)


def _twips(value: str) -> int:
    found = _number(value, 0, 20)
    return 0 if found is None else found


def _colour_of(
    value: str | None,
    theme_colour: str | None,
    theme: Element | None,
    tint: str | None = None,
    shade: str | None = None,
) -> tuple[str, ...]:
    """Each colour a colour attribute may be shown as: the theme's (for Word)
    and the written one (for LibreOffice); ``()`` when it cannot be known."""
    written: tuple[str, ...] = ()
    if value is None or value.lower() == "auto":
        written = ("auto",)
    elif _HEX.fullmatch(value):
        written = (value.upper(),)
    if theme_colour is None or theme_colour == "none":
        return written
    themed = _theme_colour(theme, theme_colour, tint, shade)
    if themed is None or not written:
        return ()
    return tuple(dict.fromkeys((themed, *written)))


def _theme_colour(
    theme: Element | None, name: str, tint: str | None, shade: str | None
) -> str | None:
    slot = _THEME_SLOTS.get(name)
    if theme is None or slot is None:
        return None
    entry = theme.find(f".//{A}clrScheme/{A}{slot}")
    if entry is None or len(entry) == 0:
        return None
    colour = entry[0].get("val") if entry[0].tag == f"{A}srgbClr" else None
    colour = entry[0].get("lastClr") if entry[0].tag == f"{A}sysClr" else colour
    if colour is None or not _HEX.fullmatch(colour):
        return None
    hue, lightness, saturation = colorsys.rgb_to_hls(
        *(int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    )
    if tint is not None and re.fullmatch(r"[0-9A-Fa-f]{2}", tint):
        share = int(tint, 16) / 255
        lightness = lightness * share + (1 - share)
    if shade is not None and re.fullmatch(r"[0-9A-Fa-f]{2}", shade):
        lightness *= int(shade, 16) / 255
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "".join(f"{round(c * 255):02X}" for c in (red, green, blue))


def _blend(ink: str, base: str, share: float) -> str:
    mixed = (
        int(ink[i : i + 2], 16) * share + int(base[i : i + 2], 16) * (1 - share)
        for i in (0, 2, 4)
    )
    return "".join(f"{round(value):02X}" for value in mixed)
