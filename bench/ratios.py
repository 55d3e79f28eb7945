#!/usr/bin/env python3
"""Pairs the rounds of bench/compare.sh and prints, per configuration and precision, the
throughput ratio medssl / PyTorch (= PyTorch ms / medssl ms, > 1 means medssl is faster) with
min/median/max over rounds, as a Markdown table. Foreign load only ever slows a run down, so the
ratio of the fastest steps seen on each side ("best") is printed too: it is what the two engines
do on an idle machine. Standard library only."""
import glob
import json
import os
import statistics
import sys


def load(pattern):
    """Reports by round; the files of one round (one per configuration) are merged."""
    runs = {}
    for path in sorted(glob.glob(pattern)):
        round_no = int(path.rsplit("-", 1)[1].split(".")[0])
        with open(path) as f:
            report = json.load(f)
        if round_no in runs:
            runs[round_no]["networks"] += report["networks"]
        else:
            runs[round_no] = report
    return runs


def by_key(report):
    return {(n["config"], n["precision"]): n for n in report["networks"]}


def spread(values):
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


def main(out):
    medssl, peer = load(os.path.join(out, "medssl-*.json")), load(os.path.join(out, "peer-*.json"))
    rounds = sorted(set(medssl) & set(peer))
    if not rounds:
        sys.exit(f"no paired rounds in {out}")
    order = ["unet2d", "unet3d", "demo2d", "pgl3d"]
    keys = sorted(by_key(medssl[rounds[0]]), key=lambda k: (order.index(k[0]) if k[0] in order else 9, k[1] != "fp32"))
    print(f"{len(rounds)} rounds; {medssl[rounds[0]]['engine']} vs {peer[rounds[0]]['engine']}, "
          f"{medssl[rounds[0]]['threads']} vs {peer[rounds[0]]['threads']} threads, OpenMP wait "
          f"{medssl[rounds[0]].get('openmpWait', '?')} vs {peer[rounds[0]].get('openmpWait', '?')}")
    print("| config | precision | params medssl / PyTorch | train ms medssl | train ms PyTorch "
          "| train ratio min / median / max | best-step ratio | infer ms medssl | infer ms PyTorch | infer ratio min / median / max "
          "| peak RSS MB medssl / PyTorch (at start) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    worst = float("inf")
    for key in keys:
        m = [by_key(medssl[r])[key] for r in rounds]
        p = [by_key(peer[r])[key] for r in rounds]
        train = [b["trainMs"]["median"] / a["trainMs"]["median"] for a, b in zip(m, p)]
        infer = [b["inferMs"]["median"] / a["inferMs"]["median"] for a, b in zip(m, p)]
        best = min(b["trainMs"]["min"] for b in p) / min(a["trainMs"]["min"] for a in m)
        worst = min(worst, statistics.median(train))

        def med(runs, field):
            return statistics.median(r[field]["median"] for r in runs)

        def rss(runs, field="peakRssMb"):
            return statistics.median(r.get(field, float("nan")) for r in runs)

        print(f"| {key[0]} {m[0]['batch']} | {key[1]} | {m[0]['parameters']:,} / {p[0]['parameters']:,} "
              f"| {med(m, 'trainMs'):.1f} | {med(p, 'trainMs'):.1f} | {spread(train)} | {best:.2f} "
              f"| {med(m, 'inferMs'):.1f} | {med(p, 'inferMs'):.1f} | {spread(infer)} "
              f"| {rss(m):.0f} / {rss(p):.0f} ({rss(m, 'startRssMb'):.0f} / {rss(p, 'startRssMb'):.0f}) |")
        if m[0]["parameters"] != p[0]["parameters"]:
            print(f"WARNING: {key[0]}: parameter counts differ, the networks are not identical", file=sys.stderr)
    print(f"smallest median training ratio: {worst:.2f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
