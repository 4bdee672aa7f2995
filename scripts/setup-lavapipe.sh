#!/usr/bin/env bash
# Sets up Mesa's lavapipe (a software Vulkan driver) in a private folder so the WebGPU backend can
# be tested on a machine with no GPU. Takes nothing (RECSPEC_LAVAPIPE_DIR overrides the folder,
# default .cache/lavapipe under the repo); gives, on stdout, one line: the VK_ICD_FILENAMES value to
# export (its lvp_icd.json). Progress goes to stderr. Idempotent: a second run only prints the line.
#
# Why backports: bookworm's Mesa 22.3 lavapipe offers no adapter to Dawn; Mesa 25 from
# bookworm-backports does. The debs are fetched with `apt-get download` through a private sources
# list and private list/cache folders, so the system's apt state is never touched, and unpacked with
# `dpkg -x` (nothing is installed). The Vulkan loader (libvulkan1) and LLVM come from the system
# when installed, else are fetched and unpacked the same way from bookworm.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${RECSPEC_LAVAPIPE_DIR:-$root/.cache/lavapipe}"
icd="$dir/root/usr/share/vulkan/icd.d/lvp_icd.json"
log() { echo "setup-lavapipe: $*" >&2; }

if [ -f "$icd" ] && [ -f "$dir/.done" ]; then
  echo "$icd"
  exit 0
fi
if [ "$(uname -m)" != x86_64 ]; then
  log "only x86_64 is supported (found $(uname -m))"
  exit 1
fi
command -v apt-get >/dev/null || { log "apt-get not found: lavapipe needs Debian's packages"; exit 1; }

mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/debs" "$dir/root"
cat >"$dir/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-backports main
EOF
apt_private=(
  -o "Dir::Etc::sourcelist=$dir/apt/sources.list"
  -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::lists=$dir/apt/lists"
  -o "Dir::Cache=$dir/apt/cache"
  -o "APT::Sandbox::User=root"
  -o "Debug::NoLocking=1"
)
log "refreshing a private package list (bookworm + bookworm-backports)"
apt-get "${apt_private[@]}" update -qq >&2

# Backports' Mesa and the libdrm it was built against, and always the Vulkan loader (small), so a
# machine without one (scripts/gpu-check.sh) can borrow it via LD_LIBRARY_PATH; LLVM when absent.
pkgs=(mesa-vulkan-drivers/bookworm-backports libdrm2/bookworm-backports libdrm-amdgpu1/bookworm-backports libvulkan1)
llvm="$(apt-cache "${apt_private[@]}" depends mesa-vulkan-drivers/bookworm-backports 2>/dev/null \
  | sed -n 's/^ *Depends: \(libllvm[0-9]*\).*/\1/p' | head -n1)"
for extra in ${llvm:+"$llvm"}; do
  if ! dpkg-query -W -f='${Status}' "$extra" 2>/dev/null | grep -q "ok installed"; then pkgs+=("$extra"); fi
done
log "downloading ${pkgs[*]}"
(cd "$dir/debs" && apt-get "${apt_private[@]}" download "${pkgs[@]}" >&2)
for deb in "$dir"/debs/*.deb; do dpkg -x "$deb" "$dir/root"; done

# The ICD names its library by bare file name (found on the system's library path); point it at
# the unpacked copy instead, so no LD_LIBRARY_PATH is needed.
lib="$dir/root/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so"
[ -f "$lib" ] || { log "libvulkan_lvp.so missing after unpacking"; exit 1; }
sed -i "s#\"library_path\": *\"[^\"]*\"#\"library_path\": \"$lib\"#" "$icd"
# Its own dependencies (libdrm, LLVM) must resolve from the system; say which do not.
missing="$(ldd "$lib" | sed -n 's/^\s*\(\S*\) => not found.*/\1/p' | tr '\n' ' ')"
if [ -n "$missing" ]; then
  log "libvulkan_lvp.so cannot find: $missing(install them, or add $dir/root/usr/lib/x86_64-linux-gnu to LD_LIBRARY_PATH)"
fi
touch "$dir/.done"
log "ready: export VK_ICD_FILENAMES=$icd"
echo "$icd"
