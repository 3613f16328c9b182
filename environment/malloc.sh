# Sourced by environment/signnb and environment/test before they start .NET.
# Why: libtorch takes each large activation from malloc, and glibc maps every block above its 32 MB mmap ceiling fresh
# and unmaps it on free, so each training pass faults its activations in again, 4 KB at a time (587,000 page faults in
# `signnb plan --stage joint --profile standard`). glibc's hugetlb tunable (2.35+) marks those mappings for transparent
# huge pages, which Debian's default THP mode ("madvise") then grants: 94,000 faults, and whole `signnb plan` runs 1.18x
# (joint) to 1.28x (keypoint) faster (figures/PERFORMANCE.md, session 34). A GLIBC_TUNABLES of your own that already
# sets glibc.malloc.hugetlb wins (glibc.malloc.hugetlb=0 turns this off). Older glibc ignores the unknown tunable.
case ":${GLIBC_TUNABLES:-}:" in
  *glibc.malloc.hugetlb=*) ;;
  *) export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1" ;;
esac
