#!/usr/bin/env bash
# medssl vs PyTorch on the same machine: runs `medssl bench` and bench/peer_pytorch.py alternately,
# one process per configuration (so peak RSS is that configuration's own) and the order flipping
# every time (so drifting load from elsewhere hits both alike), then prints the
# per-configuration throughput ratios medssl/PyTorch with min/median/max over the rounds, and the
# NIfTI decoding comparison with nibabel.
#
#   bench/compare.sh                      # unet2d, unet3d, demo2d, pgl3d in fp32 and bf16, 5 rounds
#   ROUNDS=3 STEPS=5 CONFIGS=unet2d PRECISIONS=bf16 bench/compare.sh   # a quick look
#   NIFTI=0 bench/compare.sh              # skip the NIfTI part
#
# Needs Debian's python3-torch and python3-nibabel (installed here with apt-get if missing); they
# live in /usr/bin/python3, which may not be the python3 first on PATH.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-5}" steps="${STEPS:-10}" warmup="${WARMUP:-3}"
configs="${CONFIGS:-unet2d,unet3d,demo2d,pgl3d}" precisions="${PRECISIONS:-fp32,bf16}"
out="${OUT:-$here/target/bench-$(date +%Y%m%d-%H%M%S)}"
py=/usr/bin/python3
. "$here/runtime-env.sh" # the launcher's OpenMP and malloc settings, given to the peer as well

need() { # module package
  if ! "$py" -c "import $1" 2>/dev/null; then
    echo "compare: installing $2" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y "$2" >&2; else sudo apt-get install -y "$2" >&2; fi
  fi
}
need torch python3-torch
[ "${NIFTI:-1}" = 0 ] || need nibabel python3-nibabel
mkdir -p "$out"
echo "compare: results in $out; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

medssl() { "$here/medssl" bench --configs "$2" --precision "$precisions" --steps "$steps" --warmup "$warmup" \
  --json "$out/medssl-$2-$1.json" > "$out/medssl-$2-$1.txt"; }
peer() { "$py" "$here/bench/peer_pytorch.py" --configs "$2" --precision "$precisions" --steps "$steps" \
  --warmup "$warmup" --json "$out/peer-$2-$1.json" > "$out/peer-$2-$1.txt"; }

turn=0
for r in $(seq 1 "$rounds"); do
  echo "compare: round $r/$rounds (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  for c in ${configs//,/ }; do
    if [ $((turn++ % 2)) = 0 ]; then medssl "$r" "$c"; peer "$r" "$c"; else peer "$r" "$c"; medssl "$r" "$c"; fi
  done
done
echo "compare: load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$py" "$here/bench/ratios.py" "$out" | tee "$out/ratios.md"

if [ "${NIFTI:-1}" != 0 ]; then
  data="$here/target/bench-data"
  if [ ! -d "$data/phantom" ]; then # small phantoms and a real 1 mm brain MRI (Colin27, 181x217x181)
    "$here/medssl" data phantom --out "$data/ph" --subjects 3 --unlabeled 0 > /dev/null
    mkdir -p "$data/phantom" && cp "$data/ph/imagesTr/"*.nii.gz "$data/phantom/"
    (cd "$data" && apt-get download mricron-data > /dev/null 2>&1 && dpkg-deb -x mricron-data_*.deb deb &&
      cp deb/usr/share/mricron/templates/ch2.nii.gz phantom/) || echo "compare: no mricron-data, phantoms only" >&2
  fi
  echo "NIfTI decoding (median of 5 reads, float32 voxels):"
  "$here/medssl" bench --steps 0 --nifti "$data/phantom" --json "$out/nifti-medssl.json" | grep '^nifti'
  "$py" "$here/bench/nifti_nibabel.py" "$data/phantom" --json "$out/nifti-nibabel.json"
fi
