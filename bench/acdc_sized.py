"""An ACDC-shaped dataset of the real size, for memory measurements (not for accuracy).

100 training patients (ACDC's training set), each a 30-frame cine patientNNN_4d.nii.gz of
216x256x10 int16 voxels (1.4 x 1.4 x 10 mm) and two labeled frames (01 and 12) with _gt labels
0 background, 1 RV, 2 myocardium, 3 LV: a beating ellipse plus noise. Writing noisy gzip is slow,
so only --unique patients are drawn; the others are renamed copies of them (same size on disk
and in memory, which is what the measurement needs).

  /usr/bin/python3 bench/acdc_sized.py OUT [--patients 100] [--unique 15]
"""
import argparse
import os
import shutil

import nibabel as nib
import nibabel.openers
import numpy as np

NX, NY, NZ, NT = 216, 256, 10, 30
LABELED = (0, 11)


def patient(out, p, rng):
    d = os.path.join(out, "training", "patient%03d" % p)
    os.makedirs(d, exist_ok=True)
    aff = np.diag([1.4, 1.4, 10.0, 1.0])
    yy, xx = np.mgrid[0:NY, 0:NX]
    cx, cy = 100 + rng.integers(-10, 10), 120 + rng.integers(-10, 10)
    cine = np.zeros((NX, NY, NZ, NT), np.int16)
    labels = {}
    for t in range(NT):
        r = 30 + 8 * np.cos(2 * np.pi * t / NT)
        lv = np.sqrt(((xx - cx) / r) ** 2 + ((yy - cy) / (1.2 * r)) ** 2).T
        rv = np.sqrt(((xx - cx + r) / r) ** 2 + ((yy - cy) / r) ** 2).T
        lab = np.where(lv < 0.7, 3, np.where(lv < 1.0, 2, np.where(rv < 0.6, 1, 0)))
        img = 200 + 300 * (lab == 3) + 120 * (lab == 2) + 250 * (lab == 1)
        vol = np.repeat(img[:, :, None], NZ, axis=2) + rng.normal(0, 20, (NX, NY, NZ))
        cine[..., t] = vol.astype(np.int16)
        labels[t] = np.repeat(lab[:, :, None], NZ, axis=2).astype(np.uint8)
    nib.save(nib.Nifti1Image(cine, aff), os.path.join(d, "patient%03d_4d.nii.gz" % p))
    for t in LABELED:
        f = os.path.join(d, "patient%03d_frame%02d" % (p, t + 1))
        nib.save(nib.Nifti1Image(cine[..., t], aff), f + ".nii.gz")
        nib.save(nib.Nifti1Image(labels[t], aff), f + "_gt.nii.gz")


def copy(out, source, p):
    s, t = "patient%03d" % source, "patient%03d" % p
    src, dst = os.path.join(out, "training", s), os.path.join(out, "training", t)
    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(src):
        shutil.copyfile(os.path.join(src, name), os.path.join(dst, name.replace(s, t)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--patients", type=int, default=100)
    ap.add_argument("--unique", type=int, default=15)
    a = ap.parse_args()
    nibabel.openers.Opener.default_compresslevel = 1
    rng = np.random.default_rng(0)
    for p in range(1, a.patients + 1):
        if p <= a.unique:
            patient(a.out, p, rng)
        else:
            copy(a.out, (p - 1) % a.unique + 1, p)
    print("wrote %d patients (%d drawn) to %s" % (a.patients, min(a.unique, a.patients), a.out))


if __name__ == "__main__":
    main()
