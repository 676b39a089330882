"""The keys that sign QR codes: a key set of its own, apart from the access
tokens' (signing_keys.py), since a printed code lives for years where an access
token lives for minutes, and either can rotate without the other.

On AWS: an SSM SecureString named by WANGGE_QR_KEY_PARAMETER, read through
Powertools Parameters and cached for five minutes, holding

    {"current": "B", "grace_days": 365,
     "keys": {"B": {"secret": "<random, 32 bytes or more>"},
              "A": {"secret": "...", "retired_at": "2027-03-01T00:00:00+08:00"}}}

To rotate: add a key, make it current and give the old one its `retired_at`;
reprint within the grace, then drop the old key. Locally: the same JSON in
WANGGE_QR_KEYS, or a development key on the local, test and bench stages.
"""

import json
import os
from datetime import datetime, timedelta

from chalicelib.domain.qr_tokens import DEFAULT_GRACE, QrKey, QrKeys
from chalicelib.settings import settings

_LOCAL_STAGES = ("local", "test", "bench")
_DEVELOPMENT_KEYS = {"current": "0",
                     "keys": {"0": {"secret": "wangge-local-qr-key-not-for-production"}}}


def parse(value: dict) -> QrKeys:
    keys = {}
    for kid, key in value["keys"].items():
        retired_at = key.get("retired_at")
        retired = datetime.fromisoformat(retired_at) if retired_at else None
        if retired is not None and retired.tzinfo is None:
            raise ValueError(f"QR key {kid}: retired_at needs a time zone")
        keys[kid] = QrKey(secret=key["secret"].encode(), retired_at=retired)
    grace_days = value.get("grace_days")
    return QrKeys(current_kid=value["current"], keys=keys,
                  grace=timedelta(days=grace_days) if grace_days is not None else DEFAULT_GRACE)


def qr_keys() -> QrKeys:
    parameter = os.environ.get("WANGGE_QR_KEY_PARAMETER")
    if parameter:
        from aws_lambda_powertools.utilities import parameters

        return parse(parameters.get_parameter(parameter, decrypt=True, transform="json",
                                              max_age=300))
    spec = os.environ.get("WANGGE_QR_KEYS")
    if spec:
        return parse(json.loads(spec))
    if settings.stage in _LOCAL_STAGES:
        return parse(_DEVELOPMENT_KEYS)
    raise RuntimeError("No QR signing key: set WANGGE_QR_KEY_PARAMETER")
