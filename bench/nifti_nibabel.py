#!/usr/bin/python3
"""nibabel's side of the NIfTI decoding comparison: the same files `medssl bench --nifti` reads,
decoded to float32 with scaling applied (get_fdata), 3 untimed reads (as medssl) then --repeats timed ones."""
import argparse
import glob
import json
import os
import statistics
import time

import nibabel as nib
import numpy as np


def files(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(glob.glob(os.path.join(p, "*.nii")) + glob.glob(os.path.join(p, "*.nii.gz")))
        else:
            out.append(p)
    return out


def read(path):
    return nib.load(path).get_fdata(dtype=np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json")
    a = ap.parse_args()
    results = []
    for path in files(a.paths):
        for _ in range(3):
            data = read(path)
        ms = []
        for _ in range(a.repeats):
            start = time.perf_counter()
            read(path)
            ms.append((time.perf_counter() - start) * 1000)
        mvox = data.size / 1e6
        median = statistics.median(ms)
        results.append({"file": os.path.basename(path), "shape": "x".join(map(str, data.shape)), "megavoxels": mvox,
                        "readMs": {"median": median, "min": min(ms), "max": max(ms), "n": len(ms)},
                        "megavoxelsPerSecond": mvox * 1000 / median})
        print(f"nibabel {nib.__version__} {os.path.basename(path)} ({results[-1]['shape']}, {mvox:.2f} Mvox): "
              f"{median:.1f} ms (best {min(ms):.1f}), {mvox * 1000 / median:.1f} Mvox/s")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"engine": f"nibabel {nib.__version__}", "files": results}, f, indent=2)


if __name__ == "__main__":
    main()
