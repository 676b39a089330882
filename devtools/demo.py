"""The demo data set: a town modelled on Sanquan (三泉镇) in the seeds, or a
county of any size built by the same code for benchmarks.

    python -m devtools.demo --preset county --print   # show the figures only
"""

import argparse
import random
from dataclasses import dataclass
from datetime import datetime, timezone

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


PRESETS = {
    # Sanquan town: 21 villages, 51 comprehensive grids, 304 micro-grids.
    "sanquan": DemoSize(towns=1, villages=21, grids=51, micro_grids=304),
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


def generate(size: DemoSize, seed: int = 7) -> DemoTown:
    """Grids (county → towns → villages → comprehensive grids → micro-grids) and workers."""
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
                grid_index += 1
            village_index += 1
    return DemoTown(grids=grids, workers=workers)


def load(town: DemoTown) -> bool:
    """Write the demo data unless it is there already; True when it was written."""
    from chalicelib.store import grids as grid_store
    from chalicelib.store.grids import GridModel
    from chalicelib.store.workers import WorkerModel

    if grid_store.find(COUNTY_CODE) is not None:
        return False
    now = datetime.now(timezone.utc)
    # Workers, then grids with the county root last: its presence marks a complete load, so a
    # load cut short is simply redone.
    with WorkerModel.batch_write() as batch:
        for worker in town.workers:
            batch.save(WorkerModel(**worker, status="active", created_at=now, version=1))
    children: dict[str, int] = {}
    for grid in town.grids:
        parent = grid["code"][:-2] if len(grid["code"]) > 12 else None
        if parent:
            children[parent] = children.get(parent, 0) + 1
    with GridModel.batch_write() as batch:
        for grid in reversed(town.grids):
            item = grid_store.build(grid["code"], grid["name"], grid["leader"])
            item.next_child_sequence = children.get(grid["code"], 0)
            item.version = 1
            batch.save(item)
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
    town = generate(PRESETS[args.preset])
    levels: dict[int, int] = {}
    for grid in town.grids:
        levels[len(grid["code"])] = levels.get(len(grid["code"]), 0) + 1
    print(f"{args.preset}: grids by code length {dict(sorted(levels.items()))}, "
          f"{len(town.workers)} workers")


if __name__ == "__main__":
    main()
