#!/usr/bin/env bash
# Installs code-server (a real VS Code workbench + Node extension host, served over HTTP) into a
# cache folder outside the project's dependencies, for the integration and UI tests on machines
# where @vscode/test-electron cannot download VS Code. Idempotent: does nothing when the right
# version is already there.
#
# Facts this script handles (docs: /work/shared/docs/vscode-testing.md):
# - 4.100.3 is the newest code-server that supports Node 20.
# - As root, npm needs unsafe-perm (postinstall scripts) and yes (no prompts).
# - Its postinstall downloads ripgrep from GitHub; we pre-seed that download with Debian's rg.
# - Native modules (node-pty, kerberos, ...) build from source: needs build-essential, python3,
#   libkrb5-dev (scripts/setup.mjs installs those Debian packages first; `npm test` and
#   `npm start` run it).
#
# Usage: scripts/install-code-server.sh
# Env:   CONVLENS_CACHE (default ~/.cache/convlens), CODE_SERVER_VERSION (default 4.100.3)
# Prints the path of the code-server binary on its last line.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE="${CONVLENS_CACHE:-$HOME/.cache/convlens}"
PREFIX="$CACHE/code-server"
BIN="$PREFIX/node_modules/code-server/out/node/entry.js"
PKG_JSON="$PREFIX/node_modules/code-server/package.json"
RIPGREP_CACHE_VERSION="1.15.11"
RIPGREP_ASSET="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

log() { echo "install-code-server: $*" >&2; }

installed_version() {
  [ -f "$PKG_JSON" ] || return 1
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$PKG_JSON"
}

if [ "$(installed_version 2>/dev/null || true)" = "$VERSION" ] && [ -f "$BIN" ] \
  && [ -f "$PREFIX/.complete" ]; then
  log "code-server $VERSION already installed in $PREFIX"
  echo "$BIN"
  exit 0
fi

command -v rg >/dev/null || { log "ripgrep (Debian package 'ripgrep') is required: run npm test or npm start, which install it"; exit 1; }

# Pre-seed @vscode/ripgrep's download cache (it looks in os.tmpdir()) with Debian's rg.
TMP_ROOT="${TMPDIR:-/tmp}"
RG_CACHE_DIR="$TMP_ROOT/vscode-ripgrep-cache-$RIPGREP_CACHE_VERSION"
if [ ! -f "$RG_CACHE_DIR/$RIPGREP_ASSET" ]; then
  log "seeding ripgrep download cache from $(command -v rg)"
  mkdir -p "$RG_CACHE_DIR"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$RG_CACHE_DIR/$RIPGREP_ASSET.partial" -C "$staging" rg
  mv "$RG_CACHE_DIR/$RIPGREP_ASSET.partial" "$RG_CACHE_DIR/$RIPGREP_ASSET"
  rm -rf "$staging"
fi

log "installing code-server $VERSION into $PREFIX (about a minute)"
rm -rf "$PREFIX"
mkdir -p "$PREFIX"
# A package.json of its own so npm never walks up into an enclosing project.
printf '{"name":"convlens-code-server","private":true}\n' >"$PREFIX/package.json"
(
  cd "$PREFIX"
  npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error --prefix "$PREFIX" "code-server@$VERSION"
)

got="$(installed_version || true)"
if [ "$got" != "$VERSION" ] || [ ! -f "$BIN" ]; then
  log "installation failed (found version '${got:-none}')"
  exit 1
fi
touch "$PREFIX/.complete"
log "installed code-server $got"
echo "$BIN"
