"""A folder of CT volumes of realistic size, for memory measurements (not for accuracy).

--volumes abdominal CTs as int16 HU, 512 x 512 x --slices voxels (0.78 x 0.78 x 5 mm, a common
abdominal protocol), in an image-only folder (what a team's unlabeled pool looks like): air -1000
outside an elliptic body of soft tissue 40 HU, a liver-like 60 HU region, a spine of 700 HU, fat
-100 HU under the skin, Gaussian noise of 15 HU. Writing noisy gzip is slow, so only --unique
volumes are drawn; the others are hard links to them (distinct files to the reader, no disk).

  /usr/bin/python3 bench/ct_folder.py OUT [--volumes 500] [--unique 10] [--slices 64]
"""
import argparse
import os

import nibabel as nib
import nibabel.openers
import numpy as np

NX = NY = 512
SPACING = (0.78, 0.78, 5.0)


def volume(nz, rng):
    yy, xx = np.mgrid[0:NY, 0:NX]
    a, b = 200 + rng.integers(-20, 20), 150 + rng.integers(-15, 15)
    body = ((xx - 256) / a) ** 2 + ((yy - 256) / b) ** 2
    liver = ((xx - 200) / 70.0) ** 2 + ((yy - 230) / 55.0) ** 2
    spine = ((xx - 256) / 22.0) ** 2 + ((yy - 350) / 22.0) ** 2
    hu = np.full((NY, NX), -1000.0)
    hu[body < 1.0] = -100
    hu[body < 0.85] = 40
    hu[liver < 1.0] = 60
    hu[spine < 1.0] = 700
    vol = np.repeat(hu.T[:, :, None], nz, axis=2) + rng.normal(0, 15, (NX, NY, nz))
    return np.clip(vol, -1024, 3071).astype(np.int16)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--volumes", type=int, default=500)
    ap.add_argument("--unique", type=int, default=10)
    ap.add_argument("--slices", type=int, default=64)
    a = ap.parse_args()
    nibabel.openers.Opener.default_compresslevel = 1
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(0)
    aff = np.diag(list(SPACING) + [1.0])
    name = lambda i: os.path.join(a.out, "ct_%04d.nii.gz" % i)
    for i in range(a.volumes):
        if i < a.unique:
            img = nib.Nifti1Image(volume(a.slices, rng), aff)
            img.header.set_xyzt_units("mm")
            nib.save(img, name(i))
        else:
            os.link(name(i % a.unique), name(i))
    print("wrote %d CT volumes (%d drawn) of 512x512x%d to %s" % (a.volumes, min(a.unique, a.volumes), a.slices, a.out))


if __name__ == "__main__":
    main()
