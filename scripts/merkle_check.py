#!/usr/bin/env python3
"""Independent check of Tianping's Merkle log output (RFC 9162 §2.1), written from the RFC, not from the Swift code.

Reads a JSON file {"leaves": [hex data...], "roots": {size: hex}, "inclusion": [{"index", "size", "proof"}],
"consistency": [{"from", "to", "proof"}]}, recomputes every value with hashlib, and exits 0 only if all agree.
"""
import hashlib
import json
import sys


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = split(n)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m, leaves):
    n = len(leaves)
    if n <= 1:
        return []
    k = split(n)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m, leaves, complete):
    n = len(leaves)
    if m == n:
        return [] if complete else [mth(leaves)]
    k = split(n)
    if m <= k:
        return subproof(m, leaves[:k], complete) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def main() -> int:
    doc = json.load(open(sys.argv[1]))
    leaves = [leaf_hash(bytes.fromhex(d)) for d in doc["leaves"]]
    failures = 0
    for size, root in doc["roots"].items():
        if mth(leaves[: int(size)]).hex() != root:
            print(f"root of size {size} differs")
            failures += 1
    for item in doc["inclusion"]:
        want = [h.hex() for h in path(item["index"], leaves[: item["size"]])]
        if want != item["proof"]:
            print(f"inclusion proof {item['index']}/{item['size']} differs")
            failures += 1
    for item in doc["consistency"]:
        want = [h.hex() for h in subproof(item["from"], leaves[: item["to"]], True)]
        if want != item["proof"]:
            print(f"consistency proof {item['from']}->{item['to']} differs")
            failures += 1
    checked = len(doc["roots"]) + len(doc["inclusion"]) + len(doc["consistency"])
    print(f"checked {checked} values, {failures} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
