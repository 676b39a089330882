"""Reading and writing the ledger workbooks (.xlsx) with openpyxl: the
templates clerks fill in, the rows an import reads, the files an export writes.
The sheets and their columns are domain/ledger_sheets.py's."""

import io
from collections.abc import Iterable

from chalicelib.domain import ledger_sheets
from chalicelib.domain.ledger_sheets import Problem, Row, Sheet, text

HEADER_FILL = "DDE7F6"


class UnreadableWorkbook(Exception):
    """Not an .xlsx file openpyxl can open."""


def read(data: bytes, sheets: tuple[Sheet, ...]) -> tuple[list[list[Row]], list[Problem]]:
    """The data rows of each sheet (by header name, any column order), and the
    problems of the file's shape: a missing sheet or column, too many rows."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a non-xlsx
        raise UnreadableWorkbook(str(error)) from None
    problems: list[Problem] = []
    result: list[list[Row]] = []
    try:
        for sheet in sheets:
            rows: list[Row] = []
            result.append(rows)
            if sheet.title not in workbook.sheetnames:
                problems.append(Problem(sheet.title, 1, "A", f"缺少工作表“{sheet.title}”"))
                continue
            lines = workbook[sheet.title].iter_rows(values_only=True)
            headers = [text(value) for value in next(lines, ())]
            positions = {}
            for column in sheet.columns:
                if column.header in headers:
                    positions[column.key] = headers.index(column.header)
                elif column.required:
                    problems.append(Problem(sheet.title, 1, sheet.letter(column.key),
                                            f"缺少列“{column.header}”"))
            for number, line in enumerate(lines, start=2):
                if not any(text(cell) for cell in line):
                    continue
                if len(rows) >= ledger_sheets.MAX_ROWS:
                    problems.append(Problem(sheet.title, number, "A",
                                            f"一次最多导入{ledger_sheets.MAX_ROWS}行"))
                    break
                rows.append(Row(number, {key: line[index] if index < len(line) else None
                                         for key, index in positions.items()}))
    finally:
        workbook.close()
    return result, problems


def write(sheets: Iterable[tuple[Sheet, Iterable[dict]]], notes: list[list[str]] | None = None
          ) -> bytes:
    """A workbook of the given sheets and rows (values by column key); streamed, so a
    county's ledger fits in a Lambda's memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    required = Font(bold=True, color="B00020")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for sheet, rows in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(sheet.columns):
            worksheet.column_dimensions[chr(ord("A") + index)].width = column.width
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(worksheet, value=column.header)
            cell.font, cell.fill = (required if column.required else bold), fill
            header.append(cell)
        worksheet.append(header)
        for row in rows:
            worksheet.append([_cell(row.get(column.key)) for column in sheet.columns])
    if notes:
        guide = workbook.create_sheet("填写说明")
        for line in notes:
            guide.append([_cell(value) for value in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> str:
    """A value as the text of a cell. Everything as text: Excel would turn an ID
    number into 1.1E+17. Control characters are dropped: a record stored with one
    would otherwise make openpyxl refuse the whole workbook."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text(value))


def template(kind: str, key_groups: tuple[str, ...]) -> bytes:
    sheets = ledger_sheets.KINDS[kind]
    notes = [["列", "必填", "说明"]]
    for sheet in sheets:
        for column in sheet.columns:
            notes.append([f"{sheet.title} · {column.header}", "是" if column.required else "",
                          f"例：{column.example}" if column.example else ""])
    notes += [[], ["说明"],
              ["红色列为必填；身份证号、电话请以文本填写（前面加英文单引号或设为文本格式）。"],
              ["网格编码为16位的微网格编码；同一文件中“户编号/房屋编号”把两张表连起来。"],
              ["人口类型：户籍 或 流动。日期格式：2026-03-01。"],
              ["重点人群（可填多个，用顿号分隔）：" + "、".join(key_groups)],
              ["导入按地址匹配已有的户或出租房，按身份证号匹配已有的人；同一文件导入两次不会重复。"]]
    return write([(sheet, []) for sheet in sheets], notes)
