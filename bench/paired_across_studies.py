"""Paired differences between two studies that share data, seeds and labeled subjects.

    /usr/bin/python3 bench/paired_across_studies.py BASE/results.csv OTHER/results.csv

A cell's score is its mean test Dice over classes (results.csv has one row per cell and class).
Prints, per method and budget, OTHER minus BASE for the same method and seed (what the change of
recipe did to each arm), and OTHER's methods minus BASE's random init (each arm against random init
fine-tuned the BASE way), each as mean [95 % percentile bootstrap over the seeds] and Wilcoxon p.
Warns first when the two studies' cells were made by different builds (the medssl_version column,
"version+fingerprint of the code"): then a difference mixes the change of recipe with the change
of code.
"""
import csv
import random
import sys
from collections import defaultdict

from scipy.stats import wilcoxon


def study(path):
    """A study's cells (method, labeled, seed) -> mean Dice over classes, and the builds that made them."""
    acc, builds = defaultdict(list), set()
    for r in csv.DictReader(open(path)):
        acc[(r["method"], int(r["labeled"]), int(r["seed"]))].append(float(r["dice"]))
        builds.add(r.get("medssl_version", ""))
    return {k: sum(v) / len(v) for k, v in acc.items()}, sorted(builds)


def summary(diffs):
    rng = random.Random(0)
    n = len(diffs)
    boots = sorted(sum(rng.choice(diffs) for _ in range(n)) / n for _ in range(10000))
    p = wilcoxon(diffs).pvalue if any(d != 0 for d in diffs) else 1.0
    return "%+.3f [%+.3f, %+.3f] p %.2g (%d pairs)" % (sum(diffs) / n, boots[249], boots[9749], p, n)


def main(base_path, other_path):
    (base, base_builds), (other, other_builds) = study(base_path), study(other_path)
    if base_builds != other_builds:
        print("warning: the studies' cells come from different builds: BASE %s, OTHER %s; their differences"
              " include the change of code" % (", ".join(base_builds), ", ".join(other_builds)))
    groups = sorted({(k[0], k[1]) for k in other if k[0] != "reference"})
    print("OTHER minus BASE, same method and seed:")
    for m, n in groups:
        keys = [k for k in other if (k[0], k[1]) == (m, n) and k in base]
        if keys:
            print("  %-12s N=%d: %s" % (m, n, summary([other[k] - base[k] for k in keys])))
    print("OTHER's method minus BASE's random init, same seed:")
    for m, n in groups:
        keys = [k for k in other if (k[0], k[1]) == (m, n) and m != "random" and ("random", n, k[2]) in base]
        if keys:
            print("  %-12s N=%d: %s" % (m, n, summary([other[k] - base[("random", n, k[2])] for k in keys])))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
