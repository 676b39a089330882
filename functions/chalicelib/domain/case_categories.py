"""The catalogue of case categories and the time limit of each stage.

A stage's limit runs from the moment the stage begins: `accept` from the report
until the case is dispatched, `handle` from dispatch until the handler reports
it handled, `verify` from then until it is closed. A county may override the
defaults (store/case_categories.py); a case copies its limits when it is
reported, so a later change of the catalogue never moves an existing deadline.
"""

from dataclasses import dataclass

from chalicelib.domain.deadlines import TimeLimit

STAGES = ("accept", "handle", "verify")


@dataclass(frozen=True)
class Category:
    code: str
    name_zh: str
    name_en: str
    accept: str
    handle: str
    verify: str
    # Offered to residents' Open311 clients; petitions (信访) have a legal channel of their own.
    public: bool = True
    active: bool = True
    # How many times the county changed it: 0 for a default it never touched.
    version: int = 0

    def limits(self) -> dict[str, str]:
        return {"accept": self.accept, "handle": self.handle, "verify": self.verify}

    def check(self) -> None:
        for stage in STAGES:
            TimeLimit.parse(getattr(self, stage))


DEFAULTS: tuple[Category, ...] = (
    Category("dispute", "矛盾纠纷", "Dispute", "24h", "5wd", "2wd"),
    Category("safety_hazard", "安全隐患", "Safety hazard", "2h", "3wd", "1wd"),
    Category("sanitation", "环境卫生", "Sanitation", "24h", "3wd", "2wd"),
    Category("illegal_building", "违法建设", "Illegal building", "24h", "10wd", "3wd"),
    Category("parking", "停车", "Parking", "4h", "2wd", "1wd"),
    Category("service_request", "便民服务", "Service request", "24h", "5wd", "2wd"),
    Category("petition", "信访", "Petition", "24h", "15wd", "3wd", public=False),
    Category("policy_question", "政策咨询", "Policy question", "24h", "3wd", "1wd"),
    Category("other", "其他", "Other", "24h", "5wd", "2wd"),
)
DEFAULT_BY_CODE = {category.code: category for category in DEFAULTS}

# 12345 tickets carry their own dispatch limit (接诉即办): by the ticket's urgency.
HOTLINE_DISPATCH_LIMITS = {"emergency": "1h", "utilities": "2h", "normal": "24h"}
