"""A4 sheets for a print shop, many records to a file: patrol labels (3 × 8 to
a page), rental notice boards (出租房信息公示牌, one to a page) and worker
contact cards (联系卡, 90 × 54 mm, 2 × 5 to a page). Labels and cards are drawn
on a grid of dashed cut lines; every QR symbol keeps the standard's quiet zone of
four modules inside its own label, since what is around the label is unknown.

The records come as plain dataclasses, one per kind, holding what is printed;
the PDF is written to a file-like object (a file, or a buffer a job uploads).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from fpdf import FPDF
from fpdf.enums import RenderStyle
from pylopdf_fonts_zh_cn import sans_path

from chalicelib.printables import qr_codes

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0  # A4, mm
FONT = "NotoSansSC"
BLACK = (0, 0, 0)
GREY = (90, 90, 90)
RED = (178, 34, 34)  # the red of public notices
WHITE = (255, 255, 255)
CUT_LINE_GREY = (170, 170, 170)
POINT = 25.4 / 72  # mm
# Adjacent rows of a QR symbol overlap by a hair, so that a renderer that
# anti-aliases each rectangle shows no light seam between them.
SEAM = 0.02


@dataclass(frozen=True)
class PatrolLabel:
    name: str  # 目标名称, e.g. 高力营村 3 号大棚
    number: str  # 编号
    micro_grid: str
    url: str


@dataclass(frozen=True)
class RentalBoard:
    address: str
    owner: str
    tenant_count: int
    worker_name: str
    worker_phone: str
    micro_grid: str
    url: str
    printed_on: date


@dataclass(frozen=True)
class ContactCard:
    worker_name: str
    worker_phone: str
    micro_grid: str
    url: str


@dataclass(frozen=True)
class _Layout:
    title: str
    columns: int
    rows: int
    width: float  # of one item, mm
    height: float
    cut_lines: bool
    draw: Callable[[FPDF, Any, float, float], None]

    @property
    def left(self) -> float:
        return (PAGE_WIDTH - self.columns * self.width) / 2

    @property
    def top(self) -> float:
        return (PAGE_HEIGHT - self.rows * self.height) / 2


def write_patrol_labels(labels: Iterable[PatrolLabel], out: BinaryIO) -> None:
    _write(labels, _LABELS, out)


def write_rental_boards(boards: Iterable[RentalBoard], out: BinaryIO) -> None:
    _write(boards, _BOARDS, out)


def write_contact_cards(cards: Iterable[ContactCard], out: BinaryIO) -> None:
    _write(cards, _CARDS, out)


def _write(items: Iterable[Any], layout: _Layout, out: BinaryIO) -> None:
    pdf = _Sheet(layout)
    per_page = layout.columns * layout.rows
    for index, item in enumerate(items):
        slot = index % per_page
        if slot == 0:
            pdf.add_page()
        column, row = slot % layout.columns, slot // layout.columns
        layout.draw(pdf, item, layout.left + column * layout.width, layout.top + row * layout.height)
    if pdf.page == 0:
        raise ValueError("nothing to print")
    pdf.output(out)


class _Sheet(FPDF):
    def __init__(self, layout: _Layout) -> None:
        super().__init__(unit="mm", format="A4")
        self.layout = layout
        self.set_auto_page_break(False)
        self.set_margins(0, 0)
        self.c_margin = 0
        self.set_title(layout.title)
        self.set_creator("Wangge")
        # fpdf2 embeds a subset of the glyphs used (fontTools), with a ToUnicode
        # map that keeps the text searchable and extractable.
        self.add_font(FONT, fname=str(sans_path()))

    def footer(self) -> None:
        # fpdf2 calls this as it closes each page: the cut lines go over what
        # was drawn, so they show across a card's coloured band too.
        if self.layout.cut_lines:
            _cut_lines(self, self.layout)


def _cut_lines(pdf: FPDF, layout: _Layout) -> None:
    right = layout.left + layout.columns * layout.width
    bottom = layout.top + layout.rows * layout.height
    pdf.set_draw_color(*CUT_LINE_GREY)
    pdf.set_line_width(0.15)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    for column in range(layout.columns + 1):
        x = layout.left + column * layout.width
        pdf.line(x, layout.top, x, bottom)
    for row in range(layout.rows + 1):
        y = layout.top + row * layout.height
        pdf.line(layout.left, y, right, y)
    pdf.set_dash_pattern()


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The symbol with its quiet zone in the size × size square at (x, y), as
    vector rectangles: sharp-edged at any print size, where an image of the
    modules, scaled up, is smoothed into grey edges by some readers."""
    code = qr_codes.symbol(url)
    modules, _ = code.symbol_size(scale=1, border=0)
    module = size / (modules + 2 * qr_codes.QUIET_ZONE)
    left, top = x + qr_codes.QUIET_ZONE * module, y + qr_codes.QUIET_ZONE * module
    pdf.set_fill_color(*BLACK)
    for column, row, length in qr_codes.dark_runs(code):
        # The enum, not "F": fpdf2 would look the string up for every rectangle,
        # which doubles the time of the sheet's most frequent call.
        pdf.rect(left + column * module, top + row * module, length * module, module + SEAM,
                 style=RenderStyle.F)


def _text(pdf: FPDF, text: str, x: float, y: float, width: float, size: float, *,
          color: tuple[int, int, int] = BLACK, bold: bool = False, align: str = "L",
          max_lines: int = 1, min_size: float | None = None) -> float:
    """Writes text into a box `width` wide from (x, y), shrinking it down to
    `min_size` until it fits in `max_lines`, and cutting the last line short with
    … if even that does not fit. Returns the height written."""
    smallest = min_size or size * 0.75
    while True:
        pdf.set_font(FONT, size=size)
        if pdf.get_string_width(text) <= width:
            lines = [text]
            break
        lines = pdf.multi_cell(width, text=text, dry_run=True, output="LINES", wrapmode="CHAR")
        if len(lines) <= max_lines or size <= smallest:
            break
        size = max(smallest, size - 0.5)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and pdf.get_string_width(last + "…") > width:
            last = last[:-1]
        lines = [*lines[:max_lines - 1], last + "…"]
    line_height = size * POINT * 1.3
    # The one weight the font package has, drawn bolder by stroking its outline.
    style = {"text_mode": "FILL_STROKE", "line_width": size * 0.025,
             "draw_color": color} if bold else {}
    with pdf.local_context(text_color=color, **style):
        for number, line in enumerate(lines):
            pdf.set_xy(x, y + number * line_height)
            pdf.cell(width, line_height, text=line, align=align)
    return len(lines) * line_height


def _draw_label(pdf: FPDF, label: PatrolLabel, x: float, y: float) -> None:
    # The QR square is the label's full height, quiet zone included: a
    # version 4 symbol comes out about 27 mm wide.
    side = _LABELS.height
    _qr(pdf, label.url, x, y, side)
    left, width = x + side, _LABELS.width - side - 1.5
    top = y + 3
    top += _text(pdf, label.number, left, top, width, 13, bold=True, min_size=9)
    top += _text(pdf, label.name, left, top + 0.5, width, 9.5, max_lines=2, min_size=7.5) + 1
    _text(pdf, label.micro_grid, left, top, width, 7.5, color=GREY, max_lines=2, min_size=6)


def _draw_board(pdf: FPDF, board: RentalBoard, x: float, y: float) -> None:
    width, height = _BOARDS.width, _BOARDS.height
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(x, y, width, height)
    pdf.set_line_width(0.3)
    pdf.rect(x + 2, y + 2, width - 4, height - 4)
    pdf.set_fill_color(*RED)
    pdf.rect(x + 2, y + 2, width - 4, 28, style="F")
    _text(pdf, "出租房信息公示牌", x, y + 8, width, 30, color=WHITE, bold=True, align="C")
    rows = (("房屋地址", board.address), ("房东", board.owner),
            ("租住人数", f"{board.tenant_count} 人"), ("责任网格员", board.worker_name),
            ("联系电话", board.worker_phone), ("所属网格", board.micro_grid))
    top, label_width, row_height = y + 38, 42, 15.5
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*GREY)
    for label, value in rows:
        _text(pdf, label, x + 10, top + 4, label_width, 15, color=RED)
        _text(pdf, value, x + 10 + label_width, top + 2.5 if len(value) > 18 else top + 3.5,
              width - 20 - label_width, 17, bold=True, max_lines=2, min_size=12)
        top += row_height
        pdf.line(x + 10, top, x + width - 10, top)
    qr_side, caption = 100, 10
    footer = y + height - 14
    top += (footer - top - qr_side - caption) / 2
    _qr(pdf, board.url, x + (width - qr_side) / 2, top, qr_side)
    top += qr_side
    _text(pdf, "扫码查看责任网格员 · 反映问题", x, top, width, 15, color=RED, align="C")
    printed = board.printed_on
    _text(pdf, f"打印日期：{printed.year}年{printed.month}月{printed.day}日", x + 10,
          footer + 2, width - 20, 11, color=GREY, align="R")


def _draw_card(pdf: FPDF, card: ContactCard, x: float, y: float) -> None:
    width, height = _CARDS.width, _CARDS.height
    band = 9
    pdf.set_fill_color(*RED)
    pdf.rect(x, y, width, band, style="F")
    _text(pdf, "网格员联系卡", x + 5, y + 1.8, width - 10, 11, color=WHITE, bold=True)
    qr_side = height - band
    _qr(pdf, card.url, x + width - qr_side, y + band, qr_side)
    left, text_width = x + 5, width - qr_side - 4
    top = y + band + 4
    top += _text(pdf, card.worker_name, left, top, text_width, 16, bold=True, min_size=11) + 1
    top += _text(pdf, card.worker_phone, left, top, text_width, 13, min_size=9) + 1.5
    _text(pdf, card.micro_grid, left, top, text_width, 8.5, color=GREY, max_lines=2, min_size=7)
    _text(pdf, "扫码或来电：找网格员、反映问题", left, y + height - 6, text_width, 6.5,
          color=GREY)


_LABELS = _Layout("巡查标签", columns=3, rows=8, width=64.5, height=35,
                  cut_lines=True, draw=_draw_label)
_BOARDS = _Layout("出租房信息公示牌", columns=1, rows=1, width=186, height=273,
                  cut_lines=False, draw=_draw_board)
_CARDS = _Layout("网格员联系卡", columns=2, rows=5, width=90, height=54,
                 cut_lines=True, draw=_draw_card)
