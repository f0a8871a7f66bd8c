# Checks one received message independently of Mailroom's code: Debian's dkimpy verifies its DKIM
# signature against the given TXT record, and Python's own email parser reads its headers.
# Usage: python3 dkim_check.py <message file> <TXT record file>; prints one JSON object.
import email
import email.policy
import json
import sys

import dkim

message = open(sys.argv[1], "rb").read()
record = open(sys.argv[2], "rb").read()
asked = []


def dns(name, timeout=5):
    asked.append(name.decode("ascii") if isinstance(name, bytes) else name)
    return record


def header(name):
    value = parsed.get(name)
    return None if value is None else str(value)


def verify(data):
    try:
        return bool(dkim.verify(data, dnsfunc=dns))
    except Exception:
        return False


parsed = email.message_from_bytes(message, policy=email.policy.default)
signature = parsed.get("DKIM-Signature")
tags = {}
if signature is not None:
    for part in str(signature).replace("\r", "").replace("\n", "").split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            tags[k.strip()] = "".join(v.split())
body_start = message.index(b"\r\n\r\n") + 4
tampered = message[:body_start] + b"X" + message[body_start:]
print(json.dumps({
    "verified": verify(message),
    "tampered_verified": verify(tampered),
    "dns_names": asked,
    "signature_tags": tags,
    "subject": header("Subject"),
    "list_unsubscribe": header("List-Unsubscribe"),
    "list_unsubscribe_post": header("List-Unsubscribe-Post"),
}))
