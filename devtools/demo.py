"""The demo data set: a town modelled on Sanquan (三泉镇) in the seeds, or a
county of any size built by the same code for benchmarks.

    python -m devtools.demo --preset county --print   # show the figures only
"""

import argparse
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

COUNTY_CODE = "140825"
COUNTY_NAME = "新绛县"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文玉兰红梅志强海燕春生国庆建国小红晓东"
VILLAGE_STEMS = ("三泉", "西庄", "东关", "南街", "北董", "白村", "古交", "柳泉", "杨家", "马首",
                 "孝陵", "上院", "下院", "张家", "王庄", "庙前", "泉掌", "坡底", "新庄", "姚村",
                 "苏阳", "龙兴", "东王", "西王", "南梁", "北梁", "中社", "店头", "小李", "大李")
TOWN_STEMS = ("三泉", "龙兴", "古交", "阳王", "泽掌", "北张", "横桥", "万安", "泉掌", "桥东",
              "西街", "东街", "南关", "北关", "三林", "柳泉", "马首", "店头", "清水", "石门")
WORKER_KINDS = ("full_time", "part_time", "volunteer")


@dataclass(frozen=True)
class DemoSize:
    towns: int
    villages: int
    grids: int
    micro_grids: int
    households: int = 0  # spread over the micro-grids; ~3 residents each
    rentals: int = 0


PRESETS = {
    # Sanquan town: 21 villages, 51 comprehensive grids, 304 micro-grids, and a
    # ledger sample (the whole town's 40,000 residents: `sanquan-full`).
    "sanquan": DemoSize(towns=1, villages=21, grids=51, micro_grids=304,
                        households=1500, rentals=200),
    "sanquan-full": DemoSize(towns=1, villages=21, grids=51, micro_grids=304,
                             households=13600, rentals=800),
    # The tests' town: the same grids, a ledger just big enough to page through.
    "sanquan-test": DemoSize(towns=1, villages=21, grids=51, micro_grids=304,
                             households=120, rentals=30),
    # A county at the scale the product is designed for first.
    "county": DemoSize(towns=16, villages=330, grids=820, micro_grids=5000),
}


def spread(total: int, parents: int) -> list[int]:
    """How many of `total` children each of `parents` gets, as even as possible."""
    base, extra = divmod(total, parents)
    return [base + (1 if i < extra else 0) for i in range(parents)]


def fake_phone(sequence: int) -> str:
    # 100 is no mobile prefix in China: these numbers cannot reach anyone.
    return f"100{sequence:08d}"


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


@dataclass
class DemoTown:
    grids: list[dict]
    workers: list[dict]
    households: list[dict] = field(default_factory=list)  # each with its "members"
    rentals: list[dict] = field(default_factory=list)  # each with its "tenants"


def generate(size: DemoSize, seed: int = 7) -> DemoTown:
    """Grids (county → towns → villages → comprehensive grids → micro-grids), a
    worker for each micro-grid and a leader for each village, and the ledgers."""
    rng = random.Random(seed)
    grids = [{"code": COUNTY_CODE, "name": COUNTY_NAME, "leader": None}]
    workers: list[dict] = []

    def add_worker(grid_code: str, kind: str, leader: bool) -> str:
        worker_id = f"w{len(workers) + 1:06d}"
        workers.append({"worker_id": worker_id, "name": person_name(rng),
                        "phone": fake_phone(len(workers) + 1), "kind": kind,
                        "grid_code": grid_code, "is_leader": leader})
        return worker_id

    villages_per_town = spread(size.villages, size.towns)
    grids_per_village = spread(size.grids, size.villages)
    micro_per_grid = spread(size.micro_grids, size.grids)
    village_index = grid_index = 0
    micro_grids: list[tuple[str, str, str]] = []  # code, village name, worker id
    for t, village_count in enumerate(villages_per_town):
        town_code = f"{COUNTY_CODE}{102 + t:03d}"
        stem = TOWN_STEMS[t % len(TOWN_STEMS)]
        grids.append({"code": town_code, "name": f"{stem}镇" if t < len(TOWN_STEMS)
                      else f"{stem}{t // len(TOWN_STEMS) + 1}镇", "leader": None})
        for v in range(village_count):
            village_code = f"{town_code}{201 + v:03d}"
            village_name = VILLAGE_STEMS[village_index % len(VILLAGE_STEMS)]
            if village_index >= len(VILLAGE_STEMS):
                village_name += str(village_index // len(VILLAGE_STEMS) + 1)
            leader = add_worker(village_code, "full_time", True)  # 村支书 as 网格长
            grids.append({"code": village_code, "name": f"{village_name}村", "leader": leader})
            for g in range(grids_per_village[village_index]):
                grid_code = f"{village_code}{g + 1:02d}"
                grids.append({"code": grid_code, "name": f"{village_name}村第{g + 1}全科网格",
                              "leader": None})
                for m in range(micro_per_grid[grid_index]):
                    micro_code = f"{grid_code}{m + 1:02d}"
                    worker = add_worker(micro_code, rng.choice(WORKER_KINDS), False)
                    grids.append({"code": micro_code,
                                  "name": f"{village_name}村{g + 1}-{m + 1}微网格",
                                  "leader": worker})
                    micro_grids.append((micro_code, f"{village_name}村{g + 1}组", worker))
                grid_index += 1
            village_index += 1
    town = DemoTown(grids=grids, workers=workers)
    _generate_ledgers(town, size, micro_grids, rng)
    return town


# Where floating residents and tenants come from: county codes of other provinces.
ELSEWHERE = ("410102", "410302", "510104", "500101", "430102", "341102", "622801", "130102")
OCCUPATIONS = ("建筑工地", "物流园", "农业合作社", "食品厂", "汽修厂", "超市", "餐馆", "大棚种植")


def _generate_ledgers(town: DemoTown, size: DemoSize, micro_grids: list, rng) -> None:
    from chalicelib.domain import id_numbers

    taken: set[str] = set()

    def id_number(address_code: str, youngest: int, oldest: int) -> str:
        while True:
            birth = date(2026 - rng.randint(youngest, oldest), rng.randint(1, 12),
                         rng.randint(1, 28))
            number = id_numbers.make(address_code, birth, rng.randint(1, 999))
            if number not in taken:
                taken.add(number)
                return number

    phones = iter(range(10_000_000))

    def phone() -> str:
        # 1009…: no Chinese mobile number starts 100, so these reach nobody.
        return f"1009{next(phones):07d}"

    per_grid = spread(size.households, len(micro_grids)) if micro_grids else []
    house_numbers: dict[str, int] = {}
    for (code, group, _), count in zip(micro_grids, per_grid):
        for _ in range(count):
            house_numbers[group] = house_numbers.get(group, 0) + 1
            household_id = f"h{len(town.households) + 1:06d}"
            surname = rng.choice(SURNAMES)
            members = []
            for role, youngest, oldest in (("户主", 30, 80), ("配偶", 28, 78),
                                           ("子女", 1, 30), ("子女", 1, 30)):
                if role != "户主" and rng.random() < (0.15 if role == "配偶" else 0.45):
                    continue
                floating = rng.random() < 0.08
                tags = [rng.choice(("低保", "独居老人", "残疾人", "留守儿童", "空巢老人"))] \
                    if rng.random() < 0.07 else []
                members.append({
                    "resident_id": f"r{household_id[1:]}{len(members) + 1}",
                    "name": surname + person_name(rng)[1:] if role != "配偶"
                    else person_name(rng),
                    "id_number": id_number(rng.choice(ELSEWHERE) if floating else COUNTY_CODE,
                                           youngest, oldest),
                    "phone": phone() if youngest >= 18 else None,
                    "resident_type": "floating" if floating else "registered",
                    "tags": tags, "relation": role})
            town.households.append({"household_id": household_id, "grid_code": code,
                                    "address": f"{group}{house_numbers[group]}号",
                                    "head_name": members[0]["name"], "members": members})
    workers_of = {code: worker for code, _, worker in micro_grids}
    for household in rng.sample(town.households, min(size.rentals, len(town.households))):
        rental_id = f"t{len(town.rentals) + 1:05d}"
        tenants = []
        for _ in range(rng.randint(1, 4)):
            moved_in = date(2026, 1, 1) - timedelta(days=rng.randint(20, 700))
            moved_out = moved_in + timedelta(days=rng.randint(60, 400)) \
                if rng.random() < 0.2 else None
            if moved_out and moved_out > date(2026, 11, 1):
                moved_out = None
            tenants.append({"tenant_id": f"{rental_id}-{len(tenants) + 1}",
                            "name": person_name(rng),
                            "id_number": id_number(rng.choice(ELSEWHERE), 18, 55),
                            "phone": phone(), "move_in": moved_in, "move_out": moved_out,
                            "workplace": rng.choice(OCCUPATIONS)})
        town.rentals.append({"rental_id": rental_id, "grid_code": household["grid_code"],
                             "address": household["address"],
                             "owner_name": household["head_name"],
                             "owner_phone": household["members"][0]["phone"],
                             "owner_household_id": household["household_id"],
                             "responsible_worker_id": workers_of[household["grid_code"]],
                             "rooms": rng.randint(1, 6), "tenants": tenants})


def load(town: DemoTown) -> bool:
    """Write the demo data unless it is there already; True when it was written.

    Everything has a fixed id and the counters are written as totals, so a load
    cut short is simply redone: the county grid, written last, marks a complete load.
    """
    from chalicelib.store import grids as grid_store

    if grid_store.find(COUNTY_CODE) is not None:
        return False
    from devtools import bulk, demo_ledgers

    demo_ledgers.write(town)
    children: dict[str, int] = {}
    for grid in town.grids:
        parent = grid["code"][:-2] if len(grid["code"]) > 12 else None
        if parent:
            children[parent] = children.get(parent, 0) + 1
    built = []
    for grid in reversed(town.grids):
        built.append(grid_store.build(grid["code"], grid["name"], grid["leader"]))
        built[-1].next_child_sequence = children.get(grid["code"], 0)
    bulk.put_fresh([grid_store.to_item(grid) for grid in built])
    return True


def load_accounts() -> None:
    """The demo logins of docs/demo-accounts.json (idempotent)."""
    import json
    from pathlib import Path

    from chalicelib.usecases import bootstrap

    accounts = Path(__file__).resolve().parent.parent / "docs" / "demo-accounts.json"
    for account in json.loads(accounts.read_text()):
        worker_id = DEMO_WORKERS.get(account["phone"])
        bootstrap.ensure_user(phone=account["phone"], name=account["name"],
                              role=account["role"], scope_code=account["scope"],
                              password=account["password"], worker_id=worker_id,
                              must_change_password=False)


# The demo grid leader and grid worker log in as workers of the demo town.
DEMO_WORKERS = {fake_phone(1): "w000001", fake_phone(2): "w000002"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="sanquan")
    parser.add_argument("--print", action="store_true", help="print the figures and stop")
    args = parser.parse_args()
    from devtools.environment import add_functions_to_path

    add_functions_to_path()
    town = generate(PRESETS[args.preset])
    levels: dict[int, int] = {}
    for grid in town.grids:
        levels[len(grid["code"])] = levels.get(len(grid["code"]), 0) + 1
    residents = sum(len(h["members"]) for h in town.households)
    tenants = sum(len(r["tenants"]) for r in town.rentals)
    print(f"{args.preset}: grids by code length {dict(sorted(levels.items()))}, "
          f"{len(town.workers)} workers, {len(town.households)} households, "
          f"{residents} residents, {len(town.rentals)} rentals, {tenants} tenants")


if __name__ == "__main__":
    main()
