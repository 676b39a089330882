"""The ledger workbooks (台账): the sheets and columns of the household and
rental ledgers as towns keep them in Excel, and the checks of each row.

A household workbook has a sheet of households (住户) and one of residents
(居民), linked by a household key of the file's own (户编号); a rental
workbook likewise has rentals (出租房) and tenants (租户), linked by 房屋编号.
Templates, imports and exports all use these columns, so an exported file
imports back unchanged. Messages are in Chinese: they are shown to the clerk
who fills the file in.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from chalicelib.domain import grid_codes, id_numbers, ledger
from chalicelib.errors import InvalidInput

PHONE = re.compile(r"^(1[0-9]{10}|0[0-9]{2,3}-?[0-9]{7,8})$")
TYPE_BY_NAME = {name: key for key, name in ledger.RESIDENT_TYPES.items()}
TAG_SEPARATORS = re.compile(r"[、,，;；\s]+")


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = False
    width: int = 14
    example: str = ""


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[Column, ...]

    def letter(self, key: str) -> str:
        index = [c.key for c in self.columns].index(key)
        return chr(ord("A") + index)


HOUSEHOLDS = Sheet("住户", (
    Column("户编号", "key", True, 10, "H001"),
    Column("网格编码", "grid_code", True, 18, "1408251022010101"),
    Column("地址", "address", True, 28, "三泉村1组12号"),
    Column("户主姓名", "head_name", False, 10, "王建国"),
    Column("备注", "notes", False, 24, ""),
))
RESIDENTS = Sheet("居民", (
    Column("户编号", "household_key", True, 10, "H001"),
    Column("姓名", "name", True, 10, "王建国"),
    Column("身份证号", "id_number", True, 21, "11010519491231002X"),
    Column("联系电话", "phone", False, 14, "13812345678"),
    Column("人口类型", "resident_type", True, 10, "户籍"),
    Column("重点人群", "tags", False, 16, "独居老人"),
    Column("与户主关系", "relation", False, 10, "户主"),
    Column("备注", "notes", False, 24, ""),
))
RENTALS = Sheet("出租房", (
    Column("房屋编号", "key", True, 10, "F001"),
    Column("网格编码", "grid_code", True, 18, "1408251022010101"),
    Column("地址", "address", True, 28, "三泉村1组12号"),
    Column("房东姓名", "owner_name", True, 10, "王建国"),
    Column("房东电话", "owner_phone", False, 14, "13812345678"),
    Column("责任网格员手机号", "worker_phone", False, 16, ""),
    Column("房间数", "rooms", False, 8, "3"),
    Column("备注", "notes", False, 24, ""),
))
TENANTS = Sheet("租户", (
    Column("房屋编号", "rental_key", True, 10, "F001"),
    Column("姓名", "name", True, 10, "李明"),
    Column("身份证号", "id_number", True, 21, "440524188001010014"),
    Column("联系电话", "phone", False, 14, "13900001111"),
    Column("入住日期", "move_in", True, 12, "2026-03-01"),
    Column("退租日期", "move_out", False, 12, ""),
    Column("工作单位", "workplace", False, 16, ""),
    Column("备注", "notes", False, 24, ""),
))

KINDS = {"households": (HOUSEHOLDS, RESIDENTS), "rentals": (RENTALS, TENANTS)}
EXPORT_KINDS = {"households": (HOUSEHOLDS, RESIDENTS), "residents": (RESIDENTS,),
                "rentals": (RENTALS, TENANTS), "tenants": (TENANTS,)}
MAX_ROWS = 50_000


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message}


@dataclass
class Row:
    """One data row of a sheet: its number in the file and its cleaned values."""

    number: int
    values: dict[str, Any]


@dataclass
class Checked:
    """A workbook's rows after the checks, with every problem found."""

    parents: list[Row] = field(default_factory=list)
    children: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def text(value: Any) -> str:
    """A cell as text: numbers typed into Excel come back as ints or floats."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(text(value).replace("/", "-").replace(".", "-"))


class _RowChecker:
    def __init__(self, sheet: Sheet, number: int, raw: dict[str, Any],
                 problems: list[Problem]) -> None:
        self.sheet, self.number, self.raw, self.problems = sheet, number, raw, problems
        self.values: dict[str, Any] = {}
        self.ok = True

    def fail(self, key: str, message: str) -> None:
        self.ok = False
        self.problems.append(Problem(self.sheet.title, self.number, self.sheet.letter(key),
                                     message))

    def take(self, key: str, convert: Callable[[str], Any] | None = None) -> Any:
        column = next(c for c in self.sheet.columns if c.key == key)
        value = text(self.raw.get(key))
        if not value:
            if column.required:
                self.fail(key, f"“{column.header}”不能为空")
            self.values[key] = None
            return None
        if convert is not None:
            try:
                value = convert(value)
            except InvalidInput as error:
                self.fail(key, CHINESE.get(error.code, error.details[0]["message"]))
                value = None
            except ValueError:
                self.fail(key, f"“{column.header}”的格式不对")
                value = None
        self.values[key] = value
        return value


CHINESE = {
    "id_number_shape": "身份证号应为18位：17位数字加1位数字或X",
    "id_number_birth_date": "身份证号中的出生日期无效",
    "id_number_checksum": "身份证号校验码不正确，请核对",
    "unknown_key_group": "重点人群不在本地的类别表中",
}


def _micro_grid(value: str) -> str:
    if grid_codes.depth_of(value, "grid_code") != len(grid_codes.LEVELS) - 1:
        raise InvalidInput("grid_code", "不是微网格编码")
    return value


def _grid(checker: _RowChecker, scope: str) -> None:
    code = checker.take("grid_code")
    if code is None:
        return
    try:
        _micro_grid(code)
    except InvalidInput:
        checker.fail("grid_code", "网格编码应为16位的微网格编码")
        return
    if not code.startswith(scope):
        checker.fail("grid_code", f"网格 {code} 不在您的管辖范围内")


def _phone(value: str) -> str:
    value = value.replace(" ", "")
    if not PHONE.match(value):
        raise ValueError(value)
    return value


def _repeats(rows: list[Row], key: str, sheet: Sheet, problems: list[Problem],
             message: str, normalize: Callable[[str], str] = str) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        value = row.values.get(key)
        if not value:
            continue
        first = seen.setdefault(normalize(value), row.number)
        if first != row.number:
            problems.append(Problem(sheet.title, row.number, sheet.letter(key),
                                    message.format(first=first)))


def _drop_repeated(checked: Checked, problems: list[Problem]) -> None:
    """Rows named in a problem are not imported: a file with problems imports nothing,
    but a dry run still counts what the good rows would do."""
    failed = {(p.sheet, p.row) for p in problems}
    checked.parents = [r for r in checked.parents if (HOUSEHOLDS.title, r.number) not in failed
                       and (RENTALS.title, r.number) not in failed]
    checked.children = [r for r in checked.children
                        if (RESIDENTS.title, r.number) not in failed
                        and (TENANTS.title, r.number) not in failed]


def check_households(parents: list[Row], children: list[Row], *, scope: str,
                     key_groups: tuple[str, ...], today: date) -> Checked:
    """The rows of a household workbook, with every problem the file itself shows."""
    checked = Checked()
    problems = checked.problems
    read: list[Row] = []  # every row, with the values that were valid
    for row in parents:
        checker = _RowChecker(HOUSEHOLDS, row.number, row.values, problems)
        checker.take("key")
        _grid(checker, scope)
        checker.take("address")
        checker.take("head_name")
        checker.take("notes")
        read.append(Row(row.number, checker.values))
        if checker.ok:
            checked.parents.append(read[-1])
    _repeats(read, "key", HOUSEHOLDS, problems, "户编号与第{first}行重复")
    _repeats(read, "address", HOUSEHOLDS, problems, "地址与第{first}行重复",
             ledger.normalize_address)
    keys = {row.values["key"] for row in checked.parents}
    all_keys = {text(row.values.get("key")) for row in parents}
    for row in children:
        checker = _RowChecker(RESIDENTS, row.number, row.values, problems)
        household = checker.take("household_key")
        if household and household not in all_keys:
            checker.fail("household_key", f"户编号 {household} 在“住户”表中没有")
        checker.take("name")
        checker.take("id_number", lambda v: id_numbers.parse(v, today=today).value)
        checker.take("phone", _phone)
        kind = checker.take("resident_type")
        if kind is not None:
            if kind not in TYPE_BY_NAME:
                checker.fail("resident_type", "人口类型应为“户籍”或“流动”")
            else:
                checker.values["resident_type"] = TYPE_BY_NAME[kind]
        checker.take("tags", lambda v: ledger.check_tags(
            [t for t in TAG_SEPARATORS.split(v) if t], key_groups))
        checker.take("relation")
        checker.take("notes")
        read.append(Row(row.number, checker.values))
        if checker.ok and household in keys:
            checked.children.append(read[-1])
    _repeats(read[len(parents):], "id_number", RESIDENTS, problems, "身份证号与第{first}行重复")
    _drop_repeated(checked, problems)
    return checked


def check_rentals(parents: list[Row], children: list[Row], *, scope: str,
                  today: date) -> Checked:
    checked = Checked()
    problems = checked.problems
    read: list[Row] = []
    for row in parents:
        checker = _RowChecker(RENTALS, row.number, row.values, problems)
        checker.take("key")
        _grid(checker, scope)
        checker.take("address")
        checker.take("owner_name")
        checker.take("owner_phone", _phone)
        checker.take("worker_phone", _phone)
        rooms = checker.take("rooms", int)
        if rooms is not None and not 1 <= rooms <= 500:
            checker.fail("rooms", "房间数应在1到500之间")
        checker.take("notes")
        read.append(Row(row.number, checker.values))
        if checker.ok:
            checked.parents.append(read[-1])
    _repeats(read, "key", RENTALS, problems, "房屋编号与第{first}行重复")
    _repeats(read, "address", RENTALS, problems, "地址与第{first}行重复",
             ledger.normalize_address)
    keys = {row.values["key"] for row in checked.parents}
    all_keys = {text(row.values.get("key")) for row in parents}
    for row in children:
        checker = _RowChecker(TENANTS, row.number, row.values, problems)
        rental = checker.take("rental_key")
        if rental and rental not in all_keys:
            checker.fail("rental_key", f"房屋编号 {rental} 在“出租房”表中没有")
        checker.take("name")
        checker.take("id_number", lambda v: id_numbers.parse(v, today=today).value)
        checker.take("phone", _phone)
        move_in = checker.take("move_in", _day)
        move_out = checker.take("move_out", _day)
        if move_in is not None and move_in > today:
            checker.fail("move_in", "入住日期不能晚于今天")
        if move_out is not None and (move_out > today or (move_in and move_out < move_in)):
            checker.fail("move_out", "退租日期应在入住日期与今天之间")
        checker.take("workplace")
        checker.take("notes")
        if checker.ok and rental in keys:
            checked.children.append(Row(row.number, checker.values))
    # One person lives in one rental once at a time.
    current = [row for row in checked.children if row.values.get("move_out") is None]
    seen: dict[tuple[str, str], int] = {}
    for row in current:
        stay = (row.values["rental_key"], row.values["id_number"])
        first = seen.setdefault(stay, row.number)
        if first != row.number:
            problems.append(Problem(TENANTS.title, row.number, TENANTS.letter("id_number"),
                                    f"此人已在第{first}行登记为该房屋的在住租户"))
    _drop_repeated(checked, problems)
    return checked
