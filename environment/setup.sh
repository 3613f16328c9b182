#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine with only the .NET SDK.
#   environment/setup.sh            build the solution (NuGet restore, libLibTorchSharp fix)
#   environment/setup.sh --test     also the Debian packages the parity tests need
# Each step is skipped when already done, so the README commands can call it every time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

if [ $want_test -eq 1 ]; then
  # sctk: sclite for the WER parity test; python3-torch(vision): the PyTorch parity tests;
  # ffmpeg: writes the mp4 clip that the extract-keypoints video test decodes.
  apt_install sctk python3-torch python3-torchvision ffmpeg
fi

# NU1603 warnings from the .NET Interactive packages are expected (see environment/README.md).
cd "$root/src"
dotnet build ../SignNotebooks.sln -c Release -nologo -clp:ErrorsOnly -v:q >&2
