#!/usr/bin/python3
"""Builds the SciPy reference fixtures for org.medssl.metrics tests.

Run from anywhere with Debian's python3 (numpy, scipy 1.10):
    /usr/bin/python3 src/test/resources/metrics/make_fixtures.py
It rewrites the JSON files next to this script; the Java tests read only those files.

Conventions (the same as the Java code):
- Arrays are numpy (z, y, x) so that C order is medssl's x-fastest linear index; spacing is
  passed to SciPy in the same (z, y, x) order. JSON stores shapes and spacing as (x, y, z).
- A mask is stored as the sorted list of its linear indices.
- Surface = mask AND NOT binary_erosion(mask, 6-connected cross, border_value=0): voxels outside
  the image count as background. Axes of length 1 are squeezed first, so a single-slice image is
  eroded in 2D (as MONAI does for 2D inputs).
- Directed distance A->B: distance_transform_edt(~surface(B), sampling=spacing) at surface(A)
  voxels, in C (= x-fastest) order.
- HD = max of both maxima; HD95 = max of the two directed np.percentile(., 95) (linear, numpy's
  default; MONAI's definition); ASSD = mean of both directions pooled.
- Missing values (one mask empty) are written as null.
"""
import json
import os

import numpy as np
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
SPACING = (0.8, 1.0, 2.5)  # x, y, z in mm
SHAPE = (12, 10, 8)  # x, y, z


def zyx(shape_xyz):
    return tuple(reversed(shape_xyz))


def coords_mm(shape_xyz, spacing_xyz):
    """World-ish coordinates (voxel centre * spacing) as z, y, x grids of x, y, z values."""
    z, y, x = np.meshgrid(*(np.arange(n) for n in zyx(shape_xyz)), indexing="ij")
    return x * spacing_xyz[0], y * spacing_xyz[1], z * spacing_xyz[2]


def squeeze(mask, spacing_xyz):
    """Drops axes of length 1 (mask is z, y, x); returns the squeezed mask and its spacing."""
    spacing_zyx = tuple(reversed(spacing_xyz))
    keep = [a for a, n in enumerate(mask.shape) if n > 1]
    return mask.reshape([mask.shape[a] for a in keep]), tuple(spacing_zyx[a] for a in keep)


def surface(mask, spacing_xyz):
    m, _ = squeeze(mask, spacing_xyz)
    cross = ndimage.generate_binary_structure(m.ndim, 1)
    eroded = ndimage.binary_erosion(m, structure=cross, border_value=0)
    return (m & ~eroded).reshape(mask.shape)


def edt(nonzero, spacing_xyz):
    """SciPy's EDT (distance of each nonzero voxel to the nearest zero), checked by brute force."""
    d = ndimage.distance_transform_edt(nonzero, sampling=tuple(reversed(spacing_xyz)))
    check_brute_force(nonzero, spacing_xyz, d)
    return d


def check_brute_force(nonzero, spacing_xyz, d):
    pts = np.argwhere(np.ones_like(nonzero)) * np.array(tuple(reversed(spacing_xyz)))
    zeros = np.argwhere(~nonzero) * np.array(tuple(reversed(spacing_xyz)))
    nearest = np.sqrt(((pts[:, None, :] - zeros[None, :, :]) ** 2).sum(-1)).min(1)
    assert np.allclose(nearest, d.ravel(), atol=1e-12), "scipy EDT disagrees with brute force"


def directed(a_surface, b_surface, spacing_xyz):
    return edt(~b_surface, spacing_xyz)[a_surface]


def indices(mask):
    return [int(i) for i in np.flatnonzero(mask.ravel())]


def nullable(v):
    return None if v is None or np.isnan(v) else float(v)


def pair_expectation(pred, ref, spacing_xyz):
    tp = int((pred & ref).sum())
    fp = int((pred & ~ref).sum())
    fn = int((~pred & ref).sum())
    tn = int(pred.size - tp - fp - fn)
    out = {"tp": tp, "fp": fp, "fn": fn, "tn": tn}
    if tp + fp == 0 and tp + fn == 0:  # both empty: perfect by policy
        return {**out, "dice": 1.0, "iou": 1.0, "hd": 0.0, "hd95": 0.0, "assd": 0.0}
    out["dice"] = 2 * tp / (2 * tp + fp + fn)
    out["iou"] = tp / (tp + fp + fn)
    if tp + fp == 0 or tp + fn == 0:  # one empty: distances missing by policy
        return {**out, "hd": None, "hd95": None, "assd": None}
    sp, sr = surface(pred, spacing_xyz), surface(ref, spacing_xyz)
    d_pr = directed(sp, sr, spacing_xyz)
    d_rp = directed(sr, sp, spacing_xyz)
    out["predToRef"] = [float(v) for v in d_pr]
    out["refToPred"] = [float(v) for v in d_rp]
    out["hd"] = float(max(d_pr.max(), d_rp.max()))
    out["hd95"] = float(max(np.percentile(d_pr, 95), np.percentile(d_rp, 95)))
    out["assd"] = float(np.concatenate([d_pr, d_rp]).mean())
    return out


def box(shape_xyz, lo, hi):
    """Mask of voxels with lo <= (x, y, z) <= hi (inclusive)."""
    m = np.zeros(zyx(shape_xyz), dtype=bool)
    m[lo[2]:hi[2] + 1, lo[1]:hi[1] + 1, lo[0]:hi[0] + 1] = True
    return m


def ellipsoid(shape_xyz, spacing_xyz, centre_mm, semi_axes_mm):
    x, y, z = coords_mm(shape_xyz, spacing_xyz)
    r = sum(((c - c0) / a) ** 2 for c, c0, a in zip((x, y, z), centre_mm, semi_axes_mm))
    return r <= 1.0


def blobs(shape_xyz, rng, threshold):
    noise = rng.standard_normal(zyx(shape_xyz))
    return ndimage.gaussian_filter(noise, sigma=1.2) > threshold


def surface_cases():
    rng = np.random.default_rng(20240611)
    s, sp = SHAPE, SPACING
    cases = []

    def add(name, pred, ref, shape=s, spacing=sp):
        cases.append({
            "name": name, "shape": list(shape), "spacingMm": list(spacing),
            "pred": indices(pred), "ref": indices(ref),
            "expected": pair_expectation(pred, ref, spacing)})

    add("offset_cubes", box(s, (3, 1, 3), (8, 5, 6)), box(s, (2, 2, 2), (6, 6, 5)))
    add("sphere_vs_ellipsoid",
        ellipsoid(s, sp, (4.4, 4.5, 8.75), (3.5, 3.5, 3.5)),
        ellipsoid(s, sp, (5.0, 4.0, 9.5), (4.0, 3.0, 6.0)))
    add("thin_line_vs_plate", box(s, (1, 4, 3), (10, 4, 3)), box(s, (2, 5, 2), (9, 5, 5)))
    add("single_voxel_vs_cube", box(s, (5, 5, 4), (5, 5, 4)), box(s, (3, 3, 2), (7, 7, 5)))
    add("touching_border", box(s, (0, 0, 0), (5, 8, 7)), box(s, (0, 0, 0), (4, 9, 7)))
    add("whole_image_vs_corner", np.ones(zyx(s), dtype=bool), box(s, (0, 0, 0), (3, 3, 2)))
    disk = ellipsoid(s, sp, (4.8, 5.0, 7.5), (3.0, 3.0, 1.0)) & box(s, (0, 0, 3), (11, 9, 3))
    add("single_slice_in_3d", disk, box(s, (4, 3, 3), (9, 7, 3)))
    s2, sp2 = (12, 10, 1), (0.7, 1.3, 5.0)
    add("image_2d",
        ellipsoid(s2, sp2, (4.0, 6.0, 0.0), (2.5, 3.0, 1.0)),
        ellipsoid(s2, sp2, (4.5, 5.2, 0.0), (3.0, 2.5, 1.0)), s2, sp2)
    add("random_blobs", blobs(s, rng, 0.05), blobs(s, rng, 0.0))
    add("pred_empty", np.zeros(zyx(s), dtype=bool), box(s, (2, 2, 2), (4, 4, 4)))
    add("both_empty", np.zeros(zyx(s), dtype=bool), np.zeros(zyx(s), dtype=bool))
    return cases


def distance_transform_case():
    rng = np.random.default_rng(7)
    nonzero = rng.random(zyx(SHAPE)) > 0.08  # a few sparse zeros: long distances along all axes
    d = edt(nonzero, SPACING)
    return {"shape": list(SHAPE), "spacingMm": list(SPACING),
            "zeros": indices(~nonzero), "expected": [float(v) for v in d.ravel()]}


def label_map_case():
    """Three named classes, evaluated per class on the full grid (the Java side crops)."""
    shape, spacing = (16, 12, 6), (0.9, 1.1, 3.0)
    rng = np.random.default_rng(99)
    ref = np.zeros(zyx(shape), dtype=np.int32)
    pred = np.zeros(zyx(shape), dtype=np.int32)
    ref[ellipsoid(shape, spacing, (5.0, 6.0, 7.5), (3.5, 4.0, 6.0))] = 1
    pred[ellipsoid(shape, spacing, (5.5, 5.5, 7.0), (3.0, 4.0, 5.0))] = 1
    ref[box(shape, (11, 1, 0), (14, 4, 2))] = 2  # missed by the prediction
    ref[box(shape, (10, 7, 2), (14, 11, 5))] = 3
    pred[box(shape, (9, 8, 1), (15, 10, 4)) & (rng.random(zyx(shape)) > 0.2)] = 3
    names = ["liver", "tumour", "kidney", "spleen"]  # spleen empty in both
    expected = []
    for label, name in enumerate(names, start=1):
        e = pair_expectation(pred == label, ref == label, spacing)
        expected.append({"label": label, "name": name, "dice": e["dice"], "iou": e["iou"],
                         "hd": nullable(e["hd"]), "hd95": nullable(e["hd95"]),
                         "assd": nullable(e["assd"]),
                         "predVoxels": e["tp"] + e["fp"], "refVoxels": e["tp"] + e["fn"]})
    return {"shape": list(shape), "spacingMm": list(spacing), "classNames": names,
            "pred": [int(v) for v in pred.ravel()], "ref": [int(v) for v in ref.ravel()],
            "expected": expected}


def write(name, data):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    write("surface_distances.json", {"cases": surface_cases()})
    write("distance_transform.json", distance_transform_case())
    write("label_maps.json", label_map_case())
