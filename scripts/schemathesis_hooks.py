"""Schemathesis hooks for the back office (scripts/schemathesis): every terminal POST gets a
fresh Idempotency-Key, as the API requires of a client ("unique per attempt"); a generated key
that is invalid on purpose is left as it is."""
import re
import uuid

import schemathesis

VALID_KEY = re.compile(r"^[!-~]{8,100}$")


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    headers = case.headers or {}
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and VALID_KEY.match(key):
        headers["Idempotency-Key"] = uuid.uuid4().hex
        case.headers = headers
