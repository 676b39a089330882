"""The keys that sign access tokens.

On AWS: an SSM SecureString named by WANGGE_JWT_KEY_PARAMETER holding
`{"current": "<kid>", "keys": {"<kid>": "<secret>", ...}}`, read through
Powertools Parameters and cached for five minutes, so a rotation (add a key,
make it current, drop the old one after the access-token lifetime) needs no
deploy. Locally: WANGGE_JWT_KEYS="kid:secret[,kid:secret…]", the first signing.
"""

import os

from chalicelib.domain.tokens import SigningKeys
from chalicelib.settings import settings

_LOCAL_STAGES = ("local", "test", "bench")
_DEVELOPMENT_KEYS = "local-1:wangge-local-development-key-not-for-production"


def _parse(spec: str) -> SigningKeys:
    pairs = [item.split(":", 1) for item in spec.split(",") if item.strip()]
    return SigningKeys(current_kid=pairs[0][0].strip(),
                       keys={kid.strip(): secret.encode() for kid, secret in pairs})


def signing_keys() -> SigningKeys:
    parameter = os.environ.get("WANGGE_JWT_KEY_PARAMETER")
    if parameter:
        from aws_lambda_powertools.utilities import parameters

        value = parameters.get_parameter(parameter, decrypt=True, transform="json", max_age=300)
        return SigningKeys(current_kid=value["current"],
                           keys={kid: secret.encode() for kid, secret in value["keys"].items()})
    spec = os.environ.get("WANGGE_JWT_KEYS")
    if spec:
        return _parse(spec)
    if settings.stage in _LOCAL_STAGES:
        return _parse(_DEVELOPMENT_KEYS)
    raise RuntimeError("No token signing key: set WANGGE_JWT_KEY_PARAMETER")
