# Sourced by ./medssl and bench/compare.sh: how the native runtime (libgomp, glibc malloc) behaves.
# Both read these when libtorch loads, so they must be set before the JVM starts. A value the user
# has set wins. The measurements behind each choice are in README.md, "Performance".

# OpenMP threads spin briefly between parallel regions, then sleep. Sleeping at once
# (OMP_WAIT_POLICY=PASSIVE) costs a futex wake-up per region: small networks were 1.3-1.6x slower
# on an idle machine. Spinning long (GOMP_SPINCOUNT=10000) made fp32 steps up to 1.7x and inference
# up to 3.4x slower when another process held a core. 1000 spins keep most of both.
if [ -z "${OMP_WAIT_POLICY:-}" ] && [ -z "${GOMP_SPINCOUNT:-}" ]; then export GOMP_SPINCOUNT=1000; fi

# libtorch runs on a JVM thread, so glibc serves it from a secondary arena, which hands freed
# activations back to the kernel after every step and takes page faults to get them again. Fixed
# thresholds keep the memory for the next step: 40 % of the page faults, 4-16 % faster steps.
# glibc caps the mmap threshold at 32 MB, so a tensor of 32 MB or more (2x16x64^3 fp32, common once
# the engine pads 3D channels to 16) was still mapped and faulted in afresh every time; with no
# mmapped chunks it is served from the arena too (unet3d fp32 steps 5x faster on a Zen 5 VM).
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-1073741824}"
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-67108864}"
