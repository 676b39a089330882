"""The print-shop sheets, read back as a reader and a phone would: every page
rendered (PDFium), every QR code on it decoded (zxing-cpp) in reading order,
the text extracted, and the fonts asked whether they are embedded. The first
page of each kind is left in test-artifacts/qr/ (git-ignored) to look at."""

import ctypes
import functools
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path
from xml.etree import ElementTree

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import zxingcpp
from chalicelib.domain import qr_tokens
from chalicelib.printables import qr_codes, sheets
from PIL import Image

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "qr"
SITE = "https://wangge.example.gov.cn"
KEYS = qr_tokens.QrKeys(current_kid="0", keys={"0": qr_tokens.QrKey(b"a test key")})
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
DPI = 150  # a label's module (0.85 mm) is five pixels wide, a board's fourteen


def new_url() -> str:
    return qr_tokens.code_url(SITE, qr_tokens.sign(qr_tokens.new_serial(), KEYS))


def labels(count: int) -> list[sheets.PatrolLabel]:
    return [sheets.PatrolLabel(name=f"高力营村{n}号蔬菜大棚", number=f"GLY-{n:04d}",
                               micro_grid="高力营村第三网格第二微网格", url=new_url())
            for n in range(1, count + 1)]


def boards(count: int) -> list[sheets.RentalBoard]:
    return [sheets.RentalBoard(address=f"南郎中村幸福街{n}号", owner="王建国", tenant_count=n,
                               worker_name="李秀英", worker_phone="13800138000",
                               micro_grid="南郎中村第二网格第五微网格", url=new_url(),
                               printed_on=date(2026, 12, 4))
            for n in range(1, count + 1)]


def cards(count: int) -> list[sheets.ContactCard]:
    names = ("李秀英", "欧阳建国", "张伟")
    return [sheets.ContactCard(worker_name=names[n % 3], worker_phone=f"1380013{n:04d}",
                               micro_grid="三泉村第一网格第一微网格", url=new_url())
            for n in range(count)]


KINDS = {"labels": (sheets.write_patrol_labels, labels, 24 + 6),  # a second page begun
         "boards": (sheets.write_rental_boards, boards, 3),
         "cards": (sheets.write_contact_cards, cards, 10 + 3)}


def sheet(kind: str, items: list) -> bytes:
    write, _, _ = KINDS[kind]
    out = io.BytesIO()
    write(items, out)
    return out.getvalue()


@functools.cache
def generated(kind: str) -> tuple[list, bytes]:
    """One sheet of each kind for the tests that only read it (a sheet takes a
    second or two, most of it loading and subsetting the font)."""
    _, make, count = KINDS[kind]
    items = make(count)
    return items, sheet(kind, items)


def document(kind: str) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(generated(kind)[1])


def rendered(page: pdfium.PdfPage) -> Image.Image:
    return page.render(scale=DPI / 72, grayscale=True).to_pil()


def codes_in_reading_order(image: Image.Image) -> list[str]:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    centres = [(sum(p.y for p in corners(code)) / 4, sum(p.x for p in corners(code)) / 4,
                code.text) for code in found]
    rows: list[list[tuple[float, float, str]]] = []
    for centre in sorted(centres):
        if rows and centre[0] - rows[-1][0][0] < DPI / 4:  # a quarter inch: the same row
            rows[-1].append(centre)
        else:
            rows.append([centre])
    return [text for row in rows for _, _, text in sorted(row, key=lambda c: c[1])]


def corners(code: zxingcpp.Barcode):
    position = code.position
    return position.top_left, position.top_right, position.bottom_left, position.bottom_right


def text_of(pdf: pdfium.PdfDocument) -> str:
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def fonts_of(pdf: pdfium.PdfDocument) -> set[tuple[str, bool]]:
    fonts = set()
    for page in pdf:
        for text in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_TEXT]):
            font = pdfium_raw.FPDFTextObj_GetFont(text.raw)
            size = pdfium_raw.FPDFFont_GetBaseFontName(font, None, 0)
            name = ctypes.create_string_buffer(size)
            pdfium_raw.FPDFFont_GetBaseFontName(font, name, size)
            fonts.add((name.value.decode(), bool(pdfium_raw.FPDFFont_GetIsEmbedded(font))))
    return fonts


@pytest.mark.parametrize("kind", KINDS)
def test_every_code_on_a_sheet_reads_back_as_its_own_url_in_order(kind):
    items, _ = generated(kind)
    pages = [rendered(page) for page in document(kind)]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pages[0].save(ARTIFACTS / f"{kind}.png")  # to look at
    read = [url for page in pages for url in codes_in_reading_order(page)]
    assert read == [item.url for item in items]
    serials = [qr_tokens.verify(url.removeprefix(f"{SITE}/q/"), KEYS, NOW).serial
               for url in read]
    assert len(set(serials)) == len(items)


@pytest.mark.parametrize("kind", KINDS)
def test_the_chinese_is_real_text_in_an_embedded_subset_of_noto_sans_sc(kind):
    fonts = fonts_of(document(kind))
    assert len(fonts) == 1
    [(name, embedded)] = fonts
    # A subset's name starts with a tag of six capitals (ISO 32000-1, 9.6.4).
    assert re.fullmatch(r"[A-Z]{6}\+NotoSansSC", name) and embedded


def test_what_each_kind_prints_can_be_found_in_its_text():
    label = "".join(text_of(document("labels")).split())  # wrapped lines joined
    for printed in ("GLY-0001", "高力营村1号蔬菜大棚", "高力营村第三网格第二微网格"):
        assert printed in label
    board = text_of(document("boards"))
    for printed in ("出租房信息公示牌", "南郎中村幸福街1号", "王建国", "1 人", "李秀英",
                    "13800138000", "南郎中村第二网格第五微网格", "打印日期：2026年12月4日"):
        assert printed in board
    card = text_of(document("cards"))
    for printed in ("网格员联系卡", "李秀英", "欧阳建国", "13800130001", "三泉村第一网格第一微网格"):
        assert printed in card


def test_a_sheet_carries_only_the_glyphs_it_uses():
    assert len(generated("boards")[1]) < 100_000  # the whole font is 8 MB


def test_a_name_too_long_for_its_label_is_cut_short_where_it_fits():
    long_name = "高力营村第十二号日光温室蔬菜大棚东区北侧第三排靠近水渠的那一个"
    label = sheets.PatrolLabel(name=long_name, number="GLY-0012", micro_grid="第二微网格",
                               url=new_url())
    text = text_of(pdfium.PdfDocument(sheet("labels", [label])))
    assert "…" in text and "那一个" not in text
    assert "高力营村" in text


def test_nothing_to_print_is_refused():
    with pytest.raises(ValueError):
        sheets.write_contact_cards([], io.BytesIO())


def test_one_code_as_png_and_as_svg():
    url = new_url()
    png = Image.open(io.BytesIO(qr_codes.png(url)))
    assert [code.text for code in zxingcpp.read_barcodes(png)] == [url]
    svg = ElementTree.fromstring(qr_codes.svg(url, scale=10))
    modules = qr_codes.symbol(url).symbol_size(scale=1, border=qr_codes.QUIET_ZONE)[0]
    assert svg.get("width") == str(modules * 10) == "410"
    assert svg.find("{http://www.w3.org/2000/svg}path") is not None
