#!/usr/bin/env python3
"""The BM25 reference for `tianping evaluate-retrieval`: bm25s over character bigrams on the same LeCaRD files.

Prints one JSON object: NDCG@10/20/30 of ranking each query's pool by BM25 score, and queries per second (a pool
ranked: scores of the pool's documents; the library searched: top 30 of every document). Needs `pip install bm25s`.
    scripts/bench-bm25s.py --queries Q --labels L --pools P --docs D [D ...]
"""
import argparse, json, math, os, platform, re, time

import bm25s
import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--queries", required=True)
parser.add_argument("--labels", required=True)
parser.add_argument("--pools", required=True)
parser.add_argument("--docs", required=True, nargs="+")
args = parser.parse_args()

RUN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+|[A-Za-z0-9]+")


def bigrams(text):
    """The tokenizer TianpingRetrieval uses: bigrams of Chinese runs (a lone character alone), Latin words and numbers."""
    out = []
    for run in RUN.findall(text):
        if "\u3400" <= run[0] <= "\u9fff":
            out += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        else:
            out.append(run.lower())
    return out


queries = [json.loads(line) for line in open(args.queries, encoding="utf-8")]
labels = json.load(open(args.labels, encoding="utf-8"))
pools = json.load(open(args.pools, encoding="utf-8"))
ids, texts = [], []
for path in args.docs:
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        ids.append(str(d["cid"]))
        texts.append(d["qw"])
position = {cid: i for i, cid in enumerate(ids)}

start = time.perf_counter()
corpus = [bigrams(t) for t in texts]
retriever = bm25s.BM25(k1=1.2, b=0.75)
retriever.index(corpus, show_progress=False)
index_seconds = time.perf_counter() - start
tokens = [bigrams(q["q"]) for q in queries]


def ndcg(ranked, grades, k):
    dcg = sum((2 ** grades.get(c, 0) - 1) / math.log2(i + 2) for i, c in enumerate(ranked[:k]))
    ideal = sorted((grades.get(c, 0) for c in ranked), reverse=True)
    best = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal[:k]))
    return dcg / best if best > 0 else 0.0


def rank_pools():
    rankings = {}
    for q, t in zip(queries, tokens):
        pool = pools[str(q["ridx"])]
        members = [c for c in pool if c in position]
        scores = retriever.get_scores(t)
        rankings[str(q["ridx"])] = sorted(members, key=lambda c: -scores[position[c]]) + [c for c in pool if c not in position]
    return rankings


def search_library():
    for t in tokens:
        retriever.retrieve([t], k=30, show_progress=False)


def rate(body):
    runs, start = 0, time.perf_counter()
    while True:
        body()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= 1:
            return runs * len(queries) / elapsed


rankings = rank_pools()
score = {f"ndcg{k}": sum(ndcg(rankings[str(q["ridx"])], labels.get(str(q["ridx"]), {}), k) for q in queries) / len(queries)
         for k in (10, 20, 30)}
print(json.dumps({"benchmark": "bm25s", "bm25s": bm25s.__version__, "documents": len(ids), "queries": len(queries), **score,
                  "indexSeconds": round(index_seconds, 3), "poolQueriesPerSecond": round(rate(rank_pools), 1),
                  "libraryQueriesPerSecond": round(rate(search_library), 1), "processors": os.cpu_count(),
                  "machine": platform.processor() or platform.machine()}, indent=2))
