"""Writing the demo town's workers and ledgers fast: batch writes with fixed
ids, and the counters written as totals computed here, so that a load cut
short is redone without counting anything twice. Only for a fresh demo county:
the API's own writes go through transactions (store/unit_of_work.py)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

ASSIGNED_SINCE = "2025-01-01"
PARALLEL_WRITERS = 4


def write(town) -> None:
    from chalicelib.domain import id_numbers, ledger
    from chalicelib.store import counters, records
    from chalicelib.store.households import GridStay, HouseholdModel, ResidentModel
    from chalicelib.store.rentals import RentalModel, TenantModel
    from chalicelib.store.uniques import UniqueModel, claim_key
    from chalicelib.store.workers import AssignmentModel, WorkerModel
    from chalicelib.usecases import households as household_rules
    from chalicelib.usecases import rentals as rental_rules
    from chalicelib.usecases import workers as worker_rules

    now = datetime.now(timezone.utc)
    totals: list[tuple[str, str, dict[str, int]]] = []  # appended to by several threads

    def claim(batch, kind: str, scope: str, value: str, owner: str) -> None:
        batch.save(UniqueModel(claim_key(kind, scope, value), owner_id=owner))

    def write_workers() -> None:
        with WorkerModel.batch_write() as workers, UniqueModel.batch_write() as claims, \
                AssignmentModel.batch_write() as assignments:
            for worker in town.workers:
                item = WorkerModel(**{k: v for k, v in worker.items() if k != "grid_code"},
                                   status="active", created_at=now, updated_at=now, version=1)
                records.place(item, worker["grid_code"], worker["worker_id"])
                workers.save(item)
                claim(claims, worker_rules.PHONE_CLAIM, "all", worker["phone"], worker["worker_id"])
                if worker["is_leader"]:
                    continue
                assignment = AssignmentModel(
                    assignment_id=f"a{worker['worker_id'][1:]}", worker_id=worker["worker_id"],
                    start_date=ASSIGNED_SINCE, created_by="demo", created_at=now, version=1)
                assignment.start_key = f"{ASSIGNED_SINCE}#{assignment.assignment_id}"
                records.place(assignment, worker["grid_code"], assignment.assignment_id)
                assignments.save(assignment)
                claim(claims, worker_rules.ASSIGNMENT_CLAIM, worker["grid_code"],
                      worker["worker_id"], assignment.assignment_id)
                totals.append((worker["grid_code"], "ledger", {ledger.ACTIVE_ASSIGNMENTS: 1}))

    def write_households(part: list) -> None:
        with HouseholdModel.batch_write() as households, ResidentModel.batch_write() as residents, \
                UniqueModel.batch_write() as claims:
            for household in part:
                code = household["grid_code"]
                item = HouseholdModel(household_id=household["household_id"],
                                      head_name=household["head_name"],
                                      member_count=len(household["members"]),
                                      grid_history=[GridStay(grid_code=code, since=now)],
                                      created_at=now, updated_at=now, version=1)
                records.place(item, code, item.household_id)
                normalized = household_rules.set_address(item, household["address"])
                households.save(item)
                claim(claims, household_rules.ADDRESS_CLAIM, item.county, normalized,
                      item.household_id)
                totals.append((code, "ledger", {ledger.HOUSEHOLDS: 1}))
                for member in household["members"]:
                    parsed = id_numbers.parse(member["id_number"])
                    resident = ResidentModel(
                        resident_id=member["resident_id"], household_id=item.household_id,
                        name=member["name"], name_key=f"{member['name']}#{member['resident_id']}",
                        id_number=parsed.value, sex=parsed.sex,
                        birth_date=parsed.birth_date.isoformat(), phone=member["phone"],
                        resident_type=member["resident_type"], tags=set(member["tags"]) or None,
                        relation=member["relation"], created_at=now, updated_at=now, version=1)
                    records.place(resident, code, resident.resident_id)
                    residents.save(resident)
                    claim(claims, household_rules.ID_NUMBER_CLAIM, "all", parsed.value,
                          resident.resident_id)
                    totals.append((code, "ledger", ledger.resident_counts(
                        household_rules.facts(resident))))

    def write_rentals() -> None:
        with RentalModel.batch_write() as rentals, TenantModel.batch_write() as tenants, \
                UniqueModel.batch_write() as claims:
            for rental in town.rentals:
                code = rental["grid_code"]
                current = [t for t in rental["tenants"] if t["move_out"] is None]
                item = RentalModel(**{k: v for k, v in rental.items()
                                      if k not in ("tenants", "grid_code", "address")},
                                   tenant_count=len(current), created_at=now, updated_at=now,
                                   version=1)
                records.place(item, code, item.rental_id)
                normalized = rental_rules.set_address(item, rental["address"])
                rentals.save(item)
                claim(claims, rental_rules.ADDRESS_CLAIM, item.county, normalized, item.rental_id)
                totals.append((code, "ledger", {ledger.RENTALS: 1, ledger.TENANTS: len(current)}))
                for tenant in rental["tenants"]:
                    parsed = id_numbers.parse(tenant["id_number"])
                    move_in = tenant["move_in"].isoformat()
                    record = TenantModel(
                        tenant_id=tenant["tenant_id"], rental_id=item.rental_id,
                        name=tenant["name"],
                        id_number=parsed.value, sex=parsed.sex,
                        birth_date=parsed.birth_date.isoformat(), phone=tenant["phone"],
                        move_in=move_in, stay_key=f"{move_in}#{tenant['tenant_id']}",
                        move_out=tenant["move_out"].isoformat() if tenant["move_out"] else None,
                        workplace=tenant["workplace"], created_at=now, updated_at=now, version=1)
                    records.place(record, code, record.tenant_id)
                    tenants.save(record)
                    if record.move_out is None:
                        claim(claims, rental_rules.CURRENT_TENANT_CLAIM, item.rental_id,
                              parsed.value, record.tenant_id)

    # DynamoDB Local takes writes from several connections faster than from one.
    parts = [town.households[i::PARALLEL_WRITERS] for i in range(PARALLEL_WRITERS)]
    with ThreadPoolExecutor(max_workers=PARALLEL_WRITERS + 2) as pool:
        jobs = [pool.submit(write_workers), pool.submit(write_rentals)]
        jobs += [pool.submit(write_households, part) for part in parts]
        for job in jobs:
            job.result()
    _write_totals(counters, totals)


def _write_totals(counters, changes) -> None:
    """Counter items put with their totals (a fresh county has no counts to add to)."""
    from chalicelib.domain import grid_codes
    from chalicelib.store.counters import PREFIX, CounterModel

    table = CounterModel.Meta.table_name
    dispatch = CounterModel._get_connection().connection.dispatch
    puts = []
    for (code, bucket), totals in counters.merge(changes).items():
        item = {"grid_code": {"S": code}, "bucket": {"S": bucket},
                "county": {"S": grid_codes.county_of(code)},
                "bucket_code": {"S": f"{bucket}|{code}"}}
        item.update({PREFIX + name: {"N": str(n)} for name, n in totals.items()})
        puts.append({"PutRequest": {"Item": item}})
    for start in range(0, len(puts), 25):
        request = {table: puts[start:start + 25]}
        while request:
            request = dispatch("BatchWriteItem", {"RequestItems": request}).get(
                "UnprocessedItems") or None
