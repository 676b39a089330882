"""Claims on values that must be unique (an ID number in the resident ledger,
an address in a county's household or rental ledger): one item per claimed
value, written in the same transaction as the record that claims it, so two
records can never hold the same value, and lookups by value are one GetItem
(a batch of 100 for imports).

Access patterns (docs/access-patterns.md):
- who holds a value: GetItem / BatchGetItem on `claim`
"""

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from chalicelib.store.base import table_meta


class UniqueModel(Model):
    Meta = table_meta("uniques")

    claim = UnicodeAttribute(hash_key=True)  # "<kind>#<scope>#<value>"
    owner_id = UnicodeAttribute()


def claim_key(kind: str, scope: str, value: str) -> str:
    return f"{kind}#{scope}#{value}"


def owner_of(claim: str) -> str | None:
    try:
        return UniqueModel.get(claim, consistent_read=True).owner_id
    except UniqueModel.DoesNotExist:
        return None


def owners_of(claims: list[str]) -> dict[str, str]:
    """The owners of many claims at once (BatchGetItem, 100 keys per call)."""
    found: dict[str, str] = {}
    unique_claims = list(dict.fromkeys(claims))
    for start in range(0, len(unique_claims), 100):
        for item in UniqueModel.batch_get(unique_claims[start:start + 100], consistent_read=True):
            found[item.claim] = item.owner_id
    return found


def claim_item(kind: str, scope: str, value: str, owner_id: str) -> UniqueModel:
    """The item of a claim, for set-up code that writes a fresh county in bulk."""
    return UniqueModel(claim_key(kind, scope, value), owner_id=owner_id)
