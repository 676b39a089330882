"""Demo cases in the demo town's village 三泉村 (140825102201), one in each part
of the loop, so that every inbox and screen has something to show:

    reported · dispatched · in progress · handled (to verify) · closed and rated ·
    escalated to the town · a 12345 hotline ticket

`load()` writes them once, through the use cases (so every counter counts them);
a marker claim records that it did.
"""

MARKER = "demo#cases"
MICRO, VILLAGE, TOWN = "1408251022010101", "140825102201", "140825102"
WORKER, LEADER = "w000002", "w000001"


def load() -> bool:
    """Write the demo cases unless they are there; True when they were written."""
    from chalicelib import clock
    from chalicelib.domain.callers import Caller
    from chalicelib.domain.case_keys import CaseKey
    from chalicelib.schemas.cases import CaseCreate, Transition
    from chalicelib.schemas.hotline import HotlineTicket
    from chalicelib.store import cases as case_store
    from chalicelib.usecases import case_statistics, cases, hotline

    if case_store.find_key(MARKER) is not None:
        # Kept in .data/ from a build before the waiting counts: counted once.
        case_statistics.count_waiting_of(TOWN)
        return False
    worker = Caller(user_id="demo-worker", role="grid_worker", scope_code=MICRO,
                    name="微网格员", worker_id=WORKER)
    leader = Caller(user_id="demo-leader", role="grid_leader", scope_code=VILLAGE,
                    name="三泉村网格长", worker_id=LEADER)
    supervisor = Caller(user_id="demo-supervisor", role="supervisor", scope_code=TOWN,
                        name="监督员")
    hotline_platform = Caller(user_id="api_key#demo", role="machine", scope_code=TOWN,
                              name="12345热线", machine_operations=frozenset({"cases.create"}))

    def report(category, description, **extra):
        return cases.create_case(worker, CaseCreate(category=category, grid_code=MICRO,
                                                    description=description,
                                                    address="三泉村", **extra))

    def walk(case, *steps):
        for actor, action, note in steps:
            case = cases.take_transition(actor, case.case_id, Transition(
                action=action, version=case.version, note=note, worker_id=WORKER))
        return case

    dispatch = [(leader, "register", None), (leader, "dispatch", None)]
    report("sanitation", "村东口垃圾堆放，无人清运")
    walk(report("parking", "货车长期占用消防通道"), *dispatch)
    walk(report("dispute", "邻里因宅基地边界发生争执", source="resident",
                reporter_name="王大爷", reporter_phone="10000009001"),
         *dispatch, (worker, "accept", None))
    walk(report("safety_hazard", "村委会旁电线裸露"), *dispatch, (worker, "accept", None),
         (worker, "handle", "已联系供电所包扎线头"))
    closed = walk(report("service_request", "路灯不亮"), *dispatch, (worker, "accept", None),
                  (worker, "handle", "已更换灯泡"), (supervisor, "verify", None),
                  (leader, "close", "群众确认已亮"))
    cases.rate(supervisor, closed.case_id, "satisfied", "回访：满意")
    walk(report("illegal_building", "村民未经审批加盖二层"), *dispatch,
         (worker, "escalate", "需村委会出面"), (leader, "escalate", "需镇综合执法队处理"))
    hotline.receive(hotline_platform, HotlineTicket(
        ticket_id="DEMO12345001", category="service_request", urgency="utilities",
        grid_code=MICRO, description="三泉村自来水停水两天", caller_name="李女士",
        caller_phone="10000009002"))
    case_store.put_key(CaseKey(key=MARKER, case_id="-", fingerprint="-",
                               created_at=clock.now()))
    return True
