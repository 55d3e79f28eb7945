#!/usr/bin/python3
"""Writes the NIfTI fixtures for org.medssl.io tests, with nibabel as the oracle.

Run from anywhere: /usr/bin/python3 make_fixtures.py. Every fixture NAME.nii[.gz] gets a
NAME.json sidecar holding what nibabel reads back from the written file: the raw header fields,
the affines (best, qform, sform), orientation codes and every voxel after scaling in x-fastest
order. Java tests compare against these numbers, so Python is never needed at test time.
Output is deterministic (fixed seeds, gzip mtime 0): rerunning reproduces the same bytes.

Also written:
  orientation.json       affines with nibabel.aff2axcodes results
  qform_from_affine.json affines with the qform fields nibabel's set_qform derives from them
"""
import json
import math
import os

import nibabel as nib
import numpy as np
from nibabel.openers import ImageOpener

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE = (5, 4, 3)
SHAPE_4D = (4, 3, 2, 2)


def rotation(ax_deg, ay_deg, az_deg):
    ax, ay, az = (math.radians(a) for a in (ax_deg, ay_deg, az_deg))
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    return rz @ ry @ rx


def affine(rot, zooms, trans):
    out = np.eye(4)
    out[:3, :3] = rot @ np.diag(zooms)
    out[:3, 3] = trans
    return out


DIAG = affine(np.eye(3), (2.0, 2.5, 3.0), (-10.0, 20.0, 5.0))
LPS = affine(np.diag([-1.0, -1.0, 1.0]), (1.2, 1.2, 2.0), (60.0, 70.0, -30.0))
OBLIQUE = affine(rotation(15, -10, 30), (1.5, 2.0, 2.5), (-40.5, 12.25, 33.0))
# det < 0: a reflected oblique affine, so qfac = -1 in the qform.
FLIPPED_OBLIQUE = affine(rotation(-20, 5, 100) @ np.diag([1.0, 1.0, -1.0]), (0.9, 1.1, 3.0), (7.0, -8.0, 9.0))
CORONAL = np.array([[-2.0, 0, 0, 10], [0, 0, 3.0, -5], [0, 1.5, 0, 7], [0, 0, 0, 1]])
SHEARED = np.array([[1.0, 0.3, 0, -5], [0, 1.1, 0.2, 6], [0.1, 0, 2.0, -7], [0, 0, 0, 1]])


def fortran(a):
    return a.ravel(order='F')


def ramp(shape, scale, offset):
    return fortran(np.arange(int(np.prod(shape)), dtype=np.float64) * scale + offset).reshape(shape, order='F')


def raw_header(path, klass):
    with ImageOpener(path) as f:
        return klass.from_fileobj(f)


def matrix(m):
    return [[float(v) for v in row] for row in np.asarray(m)]


def floats(values):
    return [float(v) for v in values]


def describe(name, img):
    path = os.path.join(HERE, name)
    loaded = nib.load(path)
    hdr = raw_header(path, type(loaded.header))
    data = loaded.get_fdata()
    flat = fortran(data)
    finite = flat[np.isfinite(flat)]
    return {
        'file': name,
        'nibabel': nib.__version__,
        'version': 2 if isinstance(loaded, nib.Nifti2Image) else 1,
        'endianness': hdr.endianness,
        'gzip': name.endswith('.gz'),
        'shape': list(data.shape),
        'datatype': int(hdr['datatype']),
        'bitpix': int(hdr['bitpix']),
        'dim': [int(v) for v in hdr['dim']],
        'pixdim': floats(hdr['pixdim']),
        'vox_offset': int(loaded.dataobj.offset),
        'scl_slope': float(hdr['scl_slope']),
        'scl_inter': float(hdr['scl_inter']),
        'xyzt_units': int(hdr['xyzt_units']),
        'intent_code': int(hdr['intent_code']),
        'descrip': hdr['descrip'].item().decode('latin-1'),
        'qform_code': int(hdr['qform_code']),
        'sform_code': int(hdr['sform_code']),
        'quatern': floats([hdr['quatern_b'], hdr['quatern_c'], hdr['quatern_d']]),
        'qoffset': floats([hdr['qoffset_x'], hdr['qoffset_y'], hdr['qoffset_z']]),
        'srow': [floats(hdr['srow_x']), floats(hdr['srow_y']), floats(hdr['srow_z'])],
        'affine': matrix(loaded.affine),
        'qform': matrix(hdr.get_qform()),
        'sform': matrix(hdr.get_sform()),
        'zooms': floats(hdr.get_zooms()),
        'axcodes': ''.join(nib.aff2axcodes(loaded.affine)),
        'data': floats(flat),
        'finite_min': float(finite.min()),
        'finite_max': float(finite.max()),
        'finite_sum': float(finite.sum()),
        'nan_count': int(np.isnan(flat).sum()),
        'inf_count': int(np.isinf(flat).sum()),
    }


def save(name, img):
    path = os.path.join(HERE, name)
    nib.save(img, path)
    with open(os.path.join(HERE, name.split('.nii')[0] + '.json'), 'w') as f:
        json.dump(describe(name, img), f, indent=1)
        f.write('\n')


def image(data, dtype, klass=nib.Nifti1Image, endianness='<', sform=None, sform_code=0,
          qform=None, qform_code=0, slope=None, inter=None, descrip=None, zooms=None):
    header = klass.header_class(endianness=endianness)
    header.set_data_dtype(dtype)
    img = klass(np.asarray(data).astype(np.dtype(dtype).newbyteorder(endianness)), None, header)
    if zooms is not None:
        img.header.set_zooms(zooms)
    # Like nibabel's own Nifti1Image(data, affine): an sform-only image still carries qform
    # parameters (and pixdim) derived from the sform, under qform code 0.
    img.set_qform(qform if qform is not None else sform, code=qform_code)
    img.set_sform(sform, code=sform_code)
    img.header.set_xyzt_units('mm', 'sec')
    if slope is not None:
        img.header.set_slope_inter(slope, inter)
    if descrip is not None:
        img.header['descrip'] = descrip
    return img


def fixtures():
    rng = np.random.default_rng(20240601)
    save('uint8_both.nii', image(ramp(SHAPE, 4, 3), np.uint8, sform=DIAG, sform_code=2,
                                 qform=DIAG, qform_code=1, descrip='medssl uint8 fixture'))
    save('int8_sform_lps.nii.gz', image(ramp(SHAPE, 4, -120), np.int8, sform=LPS, sform_code=2))
    save('int16_scaled_qform.nii.gz', image(ramp(SHAPE, 7, -200), np.int16, qform=OBLIQUE,
                                            qform_code=1, slope=0.5, inter=-10))
    save('uint16_oblique.nii', image(ramp(SHAPE, 1111, 0), np.uint16, sform=OBLIQUE, sform_code=1,
                                     qform=OBLIQUE, qform_code=1))
    int32 = ramp(SHAPE, 70_000_000, -2_000_000_000)
    save('int32_noform.nii', image(int32, np.int32, zooms=(1.5, 2.0, 2.5)))
    uint32 = ramp(SHAPE, 70_000_000, 4_294_967_295 - 59 * 70_000_000)
    save('uint32_sheared.nii.gz', image(uint32, np.uint32, sform=SHEARED, sform_code=4))
    noisy = rng.normal(100, 30, SHAPE)
    noisy[0, 0, 0] = np.nan
    noisy[1, 2, 1] = np.inf
    noisy[4, 3, 2] = -np.inf
    save('float32_nan_coronal.nii.gz', nib.Nifti1Image(noisy.astype(np.float32), CORONAL))
    save('float64_flipped.nii', image(rng.normal(0, 1e3, SHAPE), np.float64, sform=FLIPPED_OBLIQUE,
                                      sform_code=1, qform=FLIPPED_OBLIQUE, qform_code=1))
    # Different qform and sform: the sform wins, as in nibabel's get_best_affine.
    save('int16_bigendian.nii', image(ramp(SHAPE, -9, 250), np.int16, endianness='>', sform=LPS,
                                      sform_code=1, qform=DIAG, qform_code=1))
    save('float32_bigendian.nii.gz', image(rng.normal(0, 1, SHAPE), np.float32, endianness='>',
                                           sform=OBLIQUE, sform_code=2, qform=OBLIQUE, qform_code=2))
    save('nifti2_float32.nii', image(rng.normal(5, 2, SHAPE), np.float32, klass=nib.Nifti2Image,
                                     sform=FLIPPED_OBLIQUE, sform_code=1, qform=FLIPPED_OBLIQUE,
                                     qform_code=1, descrip='medssl nifti2 fixture'))
    save('nifti2_4d_int16_bigendian.nii.gz',
         image(ramp(SHAPE_4D, 3, -30), np.int16, klass=nib.Nifti2Image, endianness='>', sform=DIAG,
               sform_code=1, qform=DIAG, qform_code=1, slope=2.0, inter=1.0))
    four_d = image(rng.normal(50, 10, SHAPE_4D), np.float32, sform=OBLIQUE, sform_code=1,
                   qform=OBLIQUE, qform_code=1)
    four_d.header.set_zooms(four_d.header.get_zooms()[:3] + (2.5,))
    save('float32_4d.nii.gz', four_d)
    for name in ('uint8_extension.nii', 'uint8_extension_gz.nii.gz'):
        img = image(ramp(SHAPE, 2, 1), np.uint8, sform=DIAG, sform_code=2)
        img.header.extensions.append(nib.nifti1.Nifti1Extension('comment', b'medssl extension ' * 2))
        save(name, img)
    labels = np.zeros(SHAPE)
    labels[1:4, 1:3, :] = 1
    labels[2, 2, 1] = 2
    labels[4, 3, 2] = 3
    save('labels_uint8.nii.gz', image(labels, np.uint8, sform=DIAG, sform_code=2))
    save('float32_2d.nii', image(ramp((5, 4), 0.25, -1), np.float32, zooms=(0.7, 0.8)))


def orientation():
    cases = {'diag': DIAG, 'lps': LPS, 'oblique': OBLIQUE, 'flipped_oblique': FLIPPED_OBLIQUE,
             'coronal': CORONAL, 'sheared': SHEARED,
             # Near 45 degrees: the largest component decides, ties go to the first axis.
             'oblique_44deg': affine(rotation(0, 0, 44), (1, 1, 1), (0, 0, 0)),
             'oblique_46deg': affine(rotation(0, 0, 46), (1, 1, 1), (0, 0, 0)),
             'sagittal': np.array([[0, 0, -1.0, 0], [1.0, 0, 0, 0], [0, -1.0, 0, 0], [0, 0, 0, 1]])}
    return [{'name': k, 'affine': matrix(v), 'axcodes': ''.join(nib.aff2axcodes(v))}
            for k, v in cases.items()]


def qform_cases():
    out = []
    for name, aff in (('diag', DIAG), ('lps', LPS), ('oblique', OBLIQUE),
                      ('flipped_oblique', FLIPPED_OBLIQUE), ('coronal', CORONAL),
                      ('sheared', SHEARED)):
        hdr = nib.Nifti1Header()
        hdr.set_qform(aff, code=1)
        out.append({'name': name, 'affine': matrix(aff),
                    'quatern': floats([hdr['quatern_b'], hdr['quatern_c'], hdr['quatern_d']]),
                    'qoffset': floats([hdr['qoffset_x'], hdr['qoffset_y'], hdr['qoffset_z']]),
                    'pixdim': floats(hdr['pixdim'][:4]), 'qform': matrix(hdr.get_qform())})
    return out


def dump(name, value):
    with open(os.path.join(HERE, name), 'w') as f:
        json.dump(value, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    fixtures()
    dump('orientation.json', orientation())
    dump('qform_from_affine.json', qform_cases())
