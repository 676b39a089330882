"""Writing the demo town's workers and ledgers fast: the domain's records with
fixed ids, put in batches (devtools/bulk.py), and the counters written as
totals computed here, so that a load cut short is redone without counting
anything twice. Only for a fresh demo county."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone

ASSIGNED_SINCE = "2025-01-01"
PARALLEL_WRITERS = 4
# The demo town's dates are fixed (in 2026), whatever day it is loaded on.
ANY_DAY = date.max


def write(town) -> None:
    from chalicelib.domain import ledger, ledger_records
    from chalicelib.domain.workers import Assignment, Worker
    from chalicelib.store import counters, uniques

    from devtools import bulk
    from chalicelib.store import households as household_store
    from chalicelib.store import rentals as rental_store
    from chalicelib.store import workers as worker_store
    from chalicelib.usecases import workers as worker_rules

    now = datetime.now(timezone.utc)
    totals: list[tuple[str, str, dict[str, int]]] = []  # appended to by several threads

    def claims_of(record, owner: str) -> list:
        return [uniques.claim_item(held.kind, held.scope, held.value, owner)
                for held in record.footprint().claims]

    def write_workers() -> None:
        workers, assignments, claims = [], [], []
        for worker in town.workers:
            workers.append(Worker(**worker, created_at=now, updated_at=now))
            claims.append(uniques.claim_item(worker_rules.PHONE_CLAIM, "all", worker["phone"],
                                             worker["worker_id"]))
            if worker["is_leader"]:
                continue
            assignments.append(Assignment(
                assignment_id=f"a{worker['worker_id'][1:]}", worker_id=worker["worker_id"],
                grid_code=worker["grid_code"], start_date=date.fromisoformat(ASSIGNED_SINCE),
                created_by="demo", created_at=now))
            claims.append(uniques.claim_item(worker_rules.ASSIGNMENT_CLAIM, worker["grid_code"],
                                             worker["worker_id"], assignments[-1].assignment_id))
            totals.append((worker["grid_code"], "ledger", {ledger.ACTIVE_ASSIGNMENTS: 1}))
        bulk.put_fresh([worker_store.to_item(worker) for worker in workers]
                       + [worker_store.assignment_to_item(a) for a in assignments] + claims)

    def write_households(part: list) -> None:
        written, claims = [], []
        for household in part:
            code = household["grid_code"]
            record = ledger_records.Household.new(
                household["household_id"], code, household["address"], now=now,
                moved_by=None, head_name=household["head_name"])
            for member in household["members"]:
                resident = ledger_records.Resident.new(
                    member["resident_id"], name=member["name"], id_number=member["id_number"],
                    resident_type=member["resident_type"], phone=member["phone"],
                    tags=member["tags"], relation=member["relation"], now=now,
                    today=ANY_DAY, key_groups=ledger.DEFAULT_KEY_GROUPS)
                record.admit(resident)
                written.append(resident)
                totals.append((code, "ledger", ledger.resident_counts(resident.facts())))
                claims += claims_of(resident, resident.resident_id)
            written.append(record)
            claims += claims_of(record, record.household_id)
            totals.append((code, "ledger", {ledger.HOUSEHOLDS: 1}))
        bulk.put_fresh([household_store.to_item(record) for record in written] + claims)

    def write_rentals() -> None:
        written, claims = [], []
        for rental in town.rentals:
            code = rental["grid_code"]
            record = ledger_records.Rental.new(
                rental["rental_id"], code, rental["address"], now=now,
                **{k: v for k, v in rental.items()
                   if k not in ("tenants", "grid_code", "address", "rental_id")})
            for tenant in rental["tenants"]:
                stay = ledger_records.Tenant.new(
                    tenant["tenant_id"], name=tenant["name"], id_number=tenant["id_number"],
                    phone=tenant["phone"], move_in=tenant["move_in"],
                    move_out=tenant["move_out"], workplace=tenant["workplace"], now=now,
                    today=ANY_DAY)
                record.admit(stay)
                written.append(stay)
                claims += claims_of(stay, stay.tenant_id)
            written.append(record)
            claims += claims_of(record, record.rental_id)
            totals.append((code, "ledger", {ledger.RENTALS: 1,
                                            ledger.TENANTS: record.tenant_count}))
        bulk.put_fresh([rental_store.to_item(record) for record in written] + claims)

    # DynamoDB Local takes writes from several connections faster than from one.
    parts = [town.households[i::PARALLEL_WRITERS] for i in range(PARALLEL_WRITERS)]
    with ThreadPoolExecutor(max_workers=PARALLEL_WRITERS + 2) as pool:
        jobs = [pool.submit(write_workers), pool.submit(write_rentals)]
        jobs += [pool.submit(write_households, part) for part in parts]
        for job in jobs:
            job.result()
    bulk.put_raw(*counters.total_items(totals))
