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
  for p in "${missing[@]}"; do echo "setup: installing Debian package $p" >&2; done
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# OpenCvSharp's libOpenCvSharpExtern.so (in-process video decoding) links GTK 3 (which brings cairo, pango, X11, …)
# plus libdrm and libatomic (`ldd` on Debian 12). Optional for the main job: without them videos go through the
# ffmpeg command, which VideoReader logs.
gui_libs=(libgtk-3-0 libdrm2 libatomic1)
if [ $want_test -eq 1 ]; then
  # sctk: sclite for the WER parity test; python3-torch(vision): the PyTorch parity tests;
  # ffmpeg: writes the mp4 clips the video tests decode; the GUI libraries: the in-process reader's tests;
  # python3-sentencepiece: slt_ref.py trains the SentencePiece model of the released-format S2T fixture.
  apt_install sctk python3-torch python3-torchvision python3-sentencepiece ffmpeg "${gui_libs[@]}"
  # python3-imageio: ships astronaut.png, the real photograph of the MediaPipe Holistic tests.
  apt_install python3-imageio
  # chromium: the headless browser that checks the notebooks' HTML export draws its charts offline (issue 18).
  apt_install chromium
  # npm: fetches @mediapipe/holistic and the TFLite reference runtime of the converter's equality test.
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
else
  apt_install "${gui_libs[@]}" || echo "setup: could not install ${gui_libs[*]}; videos will be read with the ffmpeg command (signnb doctor)" >&2
fi

# NU1603 warnings from the .NET Interactive packages are expected (see environment/README.md).
cd "$root/src"
dotnet build ../SignNotebooks.sln -c Release -nologo -clp:ErrorsOnly -v:q >&2

# oneDNN at this CPU's best ISA, checked against float64 once per CPU (cached): exact lifts the SSE4.1 cap that
# Util/TorchBackend.cs keeps by default (2.4x faster training where it is exact); wrong keeps it.
SIGNNB_NO_BUILD=1 "$here/signnb" doctor --onednn >&2 || echo "setup: the oneDNN check did not run; convolutions stay at the SSE4.1 cap (signnb doctor)" >&2

# MediaPipe Holistic (issue 19): npm pack the pinned package, check its SHA-256, unpack and convert to ONNX, once.
if [ $want_test -eq 1 ]; then
  SIGNNB_NO_BUILD=1 "$here/signnb" mediapipe fetch >&2
  ref="${SIGNNB_TFLITE_REFERENCE:-$HOME/.cache/signnotebooks/tflite-reference}"
  if [ ! -d "$ref/node_modules/@tensorflow/tfjs-tflite" ]; then
    mkdir -p "$ref"
    # --legacy-peer-deps: tfjs-tflite 0.0.1-alpha.10 declares a peer tfjs-core 4.9.0; it runs on 4.22.0, the version the
    # converter-equality numbers were measured with, and npm 9+ refuses the mismatch without this flag.
    npm install --prefix "$ref" --no-audit --no-fund --silent --legacy-peer-deps @tensorflow/tfjs-tflite@0.0.1-alpha.10 @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0 >&2
  fi
else
  SIGNNB_NO_BUILD=1 "$here/signnb" mediapipe fetch >&2 || echo "setup: MediaPipe Holistic models not fetched (needs npm); see signnb doctor" >&2
fi
