#!/usr/bin/env bash
# Checks that recspec works as an installed tool, not only inside its checkout: packs the package,
# installs the tarball into an empty folder, writes a spec there and runs it with `npx recspec run`.
# Usage: scripts/check-install.sh   (needs the npm registry for recspec's own dependencies)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
tarball=$(npm pack --silent --pack-destination "$work" | tail -1)
mkdir "$work/user" && cd "$work/user"
npm init -y >/dev/null
npm install --no-audit --no-fund "$work/$tarball" >/dev/null
cp "$root/test/fixtures/specs/tiny.recspec" .
# The built-in data set ships with the package: a spec outside the checkout can name it.
cat > beauty.recspec <<'SPEC'
spec beauty_check
dataset beauty = amazon("data/amazon-beauty")
SPEC
npx recspec check beauty.recspec
npx recspec run tiny.recspec
test -f runs/tiny/*/report.html
echo "installed recspec ran tiny.recspec from $work/user: ok"
