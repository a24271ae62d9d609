"""Text laid out as an A4 PDF that renders and extracts Chinese.

The PDF embeds a subset of a TrueType CJK font (Noto Sans SC by default, SIL OFL, shipped by
the `justmytype-intl-cjk` wheel so no system package is needed) with a ToUnicode map, so
Chinese renders and can be extracted and searched. That font is variable and its default
instance is Thin; instancing all 30,000 glyphs at Regular takes ~10 s, so the glyphs the text
uses are subset first (without the layout tables: no shaping is applied) and only they
are instanced (~0.4 s). The creation date is the caller's, so rendering the same text again
produces the same bytes and the same SHA-256.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from hrcore.settings import Settings

REGULAR_WEIGHT = 400
IMAGE = re.compile(r"^!\[([A-Za-z0-9_-]+)\]$")
"""A line `![key]` places the PNG `images[key]` at the text's width (other lines like it
are text)."""
LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH")
MEDIA_TYPE = "application/pdf"
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_NOT_ASCII_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(filename: str, ascii_fallback: str) -> str:
    """An inline `Content-Disposition` naming the file in any script (RFC 6266/5987
    `filename*`), with an ASCII `filename` for clients that read only that one; characters a
    file system refuses become `_`."""
    readable = _UNSAFE_IN_NAME.sub("_", filename)
    fallback = _NOT_ASCII_NAME.sub("_", ascii_fallback)
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(readable, safe='')}"


@lru_cache
def default_font_path() -> Path:
    return Path(str(files("justmytype_intl_cjk") / "fonts/ofl/notosanssc/NotoSansSC[wght].ttf"))


def font_path(settings: Settings) -> Path:
    """The configured document font (`HRCORE_CONTRACT_FONT_PATH`), else Noto Sans SC."""
    return settings.contract_font_path or default_font_path()


def _static_font(font_path: Path, text: str, scratch: Path) -> Path:
    """`font_path` itself when static; else the glyphs of `text` at regular weight."""
    # fontTools and fpdf cost seconds to import on a busy machine: every process imports this
    # module (contracts' registry), few render a PDF.
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(font_path, recalcTimestamp=False)
    if "fvar" not in font:
        return font_path
    for tag in LAYOUT_TABLES:  # the PDF is laid out without shaping; parsing them costs most
        if tag in font:
            del font[tag]
    options = subset.Options(notdef_outline=True, name_IDs=["*"], layout_features=[])
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    location = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes}
    if "wght" in location:
        axis = next(axis for axis in font["fvar"].axes if axis.axisTag == "wght")
        location["wght"] = min(max(REGULAR_WEIGHT, axis.minValue), axis.maxValue)
    static = instancer.instantiateVariableFont(font, location)
    static.recalcTimestamp = False
    target = scratch / "body.ttf"
    static.save(target)
    return target


def regular_font(font_path: Path, text: str, scratch: Path) -> Path:
    """A static regular-weight font file for the glyphs of `text` (in `scratch`), for a
    chart library to draw the same script as the document."""
    return _static_font(font_path, text, scratch)


def render_pdf(
    text: str,
    *,
    font_path: Path,
    title: str,
    created_at: datetime,
    images: Mapping[str, bytes] | None = None,
) -> bytes:
    """Lay `text` out on A4: lines starting with `# ` are headings, `![key]` the PNG
    `images[key]` (a chart), the rest paragraphs."""
    with tempfile.TemporaryDirectory(prefix="hrcore-font-") as scratch:
        font = _static_font(font_path, text, Path(scratch))
        return _layout(text, font, title, created_at, images or {})


def _layout(
    text: str, font: Path, title: str, created_at: datetime, images: Mapping[str, bytes]
) -> bytes:
    from io import BytesIO

    from fpdf import FPDF, XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("hrcore")
    pdf.set_creation_date(created_at)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.add_font("body", fname=str(font))
    for line in text.splitlines():
        if (image := IMAGE.match(line)) is not None and image.group(1) in images:
            pdf.image(BytesIO(images[image.group(1)]), w=pdf.epw)
            pdf.ln(3)
            continue
        heading = line.startswith("# ")
        pdf.set_font("body", size=16 if heading else 11)
        pdf.multi_cell(
            0,
            9 if heading else 7,
            text=line[2:] if heading else line or " ",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        if heading:
            pdf.ln(3)
    return bytes(pdf.output())
