#!/usr/bin/env python3
"""Independent check of a Tianping dossier bundle (tianping-dossier/v1), written from RFC 9162 and docs/ledger.md,
not from the Swift code: every item's leaf hash, inclusion proof (RFC 9162 §2.1.3.2) and content hash.

The checkpoint's Ed25519 signature is not checked here (Python's standard library has no Ed25519); use
`tianping dossier verify` or any C2SP signed-note verifier for that. Exit status 0 only if every item checks.
"""
import base64
import hashlib
import json
import sys


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list, root: bytes) -> bool:
    """RFC 9162 §2.1.3.2, step by step."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def main() -> int:
    bundle = json.load(open(sys.argv[1], encoding="utf-8"))
    body = bundle["checkpoint"].split("\n\n")[0].split("\n")
    size, root = int(body[1]), base64.b64decode(body[2])
    failures = 0
    for item in bundle["items"]:
        entry = item["entry"].encode("utf-8")
        fields = dict(line.split(" ", 1) for line in item["entry"].rstrip("\n").split("\n")[1:])
        proof = [base64.b64decode(p) for p in item["proof"]]
        if not verify_inclusion(item["leafIndex"], size, leaf_hash(entry), proof, root):
            print(f"leaf {item['leafIndex']}: inclusion proof does not lead to the checkpoint root")
            failures += 1
            continue
        content = item.get("content")
        if content is not None and hashlib.sha256(content.encode("utf-8")).hexdigest() != fields["sha256"]:
            print(f"leaf {item['leafIndex']}: content does not hash to the logged sha256")
            failures += 1
    print(f"checked {len(bundle['items'])} items against tree size {size}, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
