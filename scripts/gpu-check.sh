#!/usr/bin/env bash
# The GPU device check in one script: makes sure Dawn can reach a Vulkan driver, prints the
# adapter, then runs bench/gpu-check.ts (matmul GFLOP/s, train/tiger at paper size and
# train/sasrec in examples/s, on webgpu beside wasm in one process) and prints its JSON.
# Takes the bench's flags: --tiny (small sizes; with no GPU it uses lavapipe, so the script is known
# to work on any Linux machine), --out=FILE. Works offline: the Vulkan loader, when the system has
# none, comes from .cache/lavapipe (scripts/setup-lavapipe.sh, run beforehand where apt can reach
# Debian; `carry` that folder to a machine without network).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
cache="${RECSPEC_LAVAPIPE_DIR:-$root/.cache/lavapipe}"
log() { echo "gpu-check: $*" >&2; }

# 1. The Vulkan loader (libvulkan.so.1): the system's, else the one unpacked under .cache/lavapipe.
if ! ldconfig -p 2>/dev/null | grep -q "libvulkan.so.1"; then
  if [ ! -f "$cache/root/usr/lib/x86_64-linux-gnu/libvulkan.so.1" ] && command -v apt-get >/dev/null; then
    bash scripts/setup-lavapipe.sh >/dev/null || true
  fi
  if [ -f "$cache/root/usr/lib/x86_64-linux-gnu/libvulkan.so.1" ]; then
    export LD_LIBRARY_PATH="$cache/root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    log "Vulkan loader from $cache"
  else
    log "no Vulkan loader (libvulkan.so.1): install libvulkan1, or run scripts/setup-lavapipe.sh where apt works"
  fi
fi

# 2. A driver (ICD). NVIDIA's manifest is where the container toolkit mounts it; when only the
# driver library is there (graphics capability not requested), write a manifest for it.
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  for icd in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$icd" ]; then export VK_ICD_FILENAMES="$icd"; break; fi
  done
fi
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  glx="$(ldconfig -p 2>/dev/null | sed -n 's/.*libGLX_nvidia.so.0 (libc6,x86-64) => \(.*\)/\1/p' | head -n1)"
  if [ -n "$glx" ]; then
    mkdir -p "$root/.cache"
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$glx" >"$root/.cache/nvidia_icd.json"
    export VK_ICD_FILENAMES="$root/.cache/nvidia_icd.json"
    log "wrote an NVIDIA ICD manifest for $glx"
  fi
fi
if [ -z "${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/*.json >/dev/null 2>&1; then
  log "no GPU driver found: using lavapipe (software; numbers are not GPU numbers)"
  export VK_ICD_FILENAMES="$(bash scripts/setup-lavapipe.sh)"
fi
log "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-(system default)}"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || true

# 3. The measurements.
exec node --import tsx bench/gpu-check.ts "$@"
