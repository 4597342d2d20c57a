#!/usr/bin/env bash
# Presence Switch build entry point. Installs what a fresh machine lacks, then:
#   ./build.sh          build dist/pkg (wasm), www/pkg and the extension (dist/chrome, zip)
#   ./build.sh test     fmt, clippy, native tests, wasm tests in Chromium (page + service worker),
#                       JS unit tests, end-to-end tests against the presence simulator
#   ./build.sh demo     build, start the simulator, launch Chromium with the extension (no tenant)
#   ./build.sh serve    serve the www/ request playground on http://127.0.0.1:8080
#   ./build.sh bench    benchmarks: native micro-benchmarks, then the extension against a plain-JS
#                       baseline in Chromium (bench/run.mjs; see README "Performance")
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

WASM_TARGET=wasm32-unknown-unknown
CRATE=presence_switch
DIST="$ROOT/dist"

# --- installation ---------------------------------------------------------------------------

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "need the Debian packages ${missing[*]} but apt-get is missing"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ $apt_updated -eq 0 ]; then
    step "apt-get update"
    $sudo apt-get update -qq
    apt_updated=1
  fi
  step "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo not found; install Rust with rustup"
  if ! rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
    step "rustup target add $WASM_TARGET"
    rustup target add "$WASM_TARGET"
  fi
}

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
# (`--locked` fails: its lockfile pins a crate the registry no longer serves; see
# shared/docs/toolchain.md pitfall 2.)
ensure_wasm_bindgen() {
  local want have=""
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
  [ -n "$want" ] || die "no wasm-bindgen version in Cargo.lock"
  if command -v wasm-bindgen >/dev/null; then have="$(wasm-bindgen --version | awk '{print $2}')"; fi
  if [ "$have" != "$want" ]; then
    step "cargo install wasm-bindgen-cli --version $want (have: ${have:-none})"
    cargo install -q wasm-bindgen-cli --version "$want" --force
  fi
  [ "$(wasm-bindgen --version | awk '{print $2}')" = "$want" ] || die "wasm-bindgen CLI is not $want"
}

# npm packages from the committed lockfile; reinstalled when the lockfile changes.
ensure_npm() {
  command -v npm >/dev/null || apt_install nodejs npm
  local stamp="node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    step "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

ensure_chromium() {
  # chromium-l10n: the German locale pack, without which Chromium falls back to English.
  apt_install chromium chromium-driver chromium-l10n curl
  export CHROMEDRIVER=/usr/bin/chromedriver
}

# --- build ----------------------------------------------------------------------------------

human() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1024 }'; }

build_wasm() {
  ensure_rust
  ensure_wasm_bindgen
  ensure_npm
  step "cargo build --release --target $WASM_TARGET"
  cargo build --release --target "$WASM_TARGET" -p presence-switch
  step "wasm-bindgen --target web → dist/pkg"
  rm -rf "$DIST/pkg"
  mkdir -p "$DIST/pkg"
  wasm-bindgen --target web --out-dir "$DIST/pkg" "target/$WASM_TARGET/release/$CRATE.wasm"
  # wasm-opt from the npm package binaryen: Debian's binaryen 108 corrupts wasm-bindgen output
  # (shared/docs/toolchain.md pitfall 1).
  step "wasm-opt --low-memory-unused -ocimfs=30 -Oz --converge (npm binaryen $(node_modules/.bin/wasm-opt --version | awk '{print $3}'))"
  # --low-memory-unused: the stack comes first (wasm-ld --stack-first) and grows down from
  # 1 MiB, so the low 1 KiB is never touched and constant offsets fold into loads and stores;
  # --converge repeats -Oz until it stops shrinking (together 0.4 KB gzipped). -ocimfs=30: a
  # function with one caller is inlined only if it is small; inlining the big ones into the
  # export shims saves raw bytes but renumbers their locals into one huge function, which
  # gzip compresses far worse (measured: -ocimfs=30 +1 KB raw, -2.6 KB gzipped; 0 to 60 all
  # beat the default, 30 best). --strip-target-features: the section only tells tools which
  # features the module uses; engines ignore it (0.1 KB gzipped).
  node_modules/.bin/wasm-opt --low-memory-unused -ocimfs=30 -Oz --converge --strip-debug --strip-producers \
    --strip-target-features \
    "$DIST/pkg/${CRATE}_bg.wasm" -o "$DIST/pkg/${CRATE}_bg.wasm.opt"
  mv "$DIST/pkg/${CRATE}_bg.wasm.opt" "$DIST/pkg/${CRATE}_bg.wasm"
  local raw gz
  raw=$(wc -c < "$DIST/pkg/${CRATE}_bg.wasm")
  gz=$(gzip -9c "$DIST/pkg/${CRATE}_bg.wasm" | wc -c)
  printf 'shipped wasm: %s raw, %s gzipped (budget 48.0 KB gzipped)\n' "$(human "$raw")" "$(human "$gz")"
  printf 'js glue:      %s raw, %s gzipped\n' "$(human "$(wc -c < "$DIST/pkg/$CRATE.js")")" \
    "$(human "$(gzip -9c "$DIST/pkg/$CRATE.js" | wc -c)")"
  step "www/pkg (copy for the playground)"
  rm -rf www/pkg
  mkdir -p www/pkg
  cp "$DIST/pkg/$CRATE.js" "$DIST/pkg/${CRATE}_bg.wasm" "$DIST/pkg/$CRATE.d.ts" www/pkg/
  cp -r "$DIST/pkg/snippets" www/pkg/ # src/send.js, imported by the glue
}

build_extension() {
  if [ -f extension/build.mjs ]; then
    step "node extension/build.mjs"
    node extension/build.mjs
  else
    printf 'extension/build.mjs not present yet: skipping the extension\n'
  fi
}

build_all() {
  build_wasm
  build_extension
}

# --- tests ----------------------------------------------------------------------------------

SIM_PID=""
stop_sim() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null || true; SIM_PID=""; }
trap stop_sim EXIT

# Starts the presence simulator on a free loopback port; sets SIM_URL.
start_sim() {
  local log
  log="$(mktemp)"
  "$ROOT/target/debug/presence-sim" --port 0 >"$log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 1 100); do
    SIM_URL="$(sed -n '1s/^listening on //p' "$log")"
    [ -n "$SIM_URL" ] && return 0
    kill -0 "$SIM_PID" 2>/dev/null || { cat "$log" >&2; die "presence-sim exited"; }
    sleep 0.1
  done
  die "presence-sim did not report its address"
}

run_tests() {
  build_all
  ensure_chromium

  step "cargo fmt --check"
  cargo fmt --all -- --check
  step "cargo clippy (host and $WASM_TARGET, -D warnings)"
  cargo clippy --workspace --all-targets -q -- -D warnings
  cargo clippy -p presence-switch --target "$WASM_TARGET" --lib --test web_page --test web_worker -q -- -D warnings

  step "cargo test --workspace (native)"
  cargo build -q -p presence-sim
  cargo test --workspace -q

  step "wasm-bindgen-test in headless Chromium (page and service worker)"
  start_sim
  # The boundary tests send real requests to the simulator; a token and a slow path are prepared
  # here because the tests run inside the browser.
  local token
  token="$(curl -fsS -X POST -H 'content-type: application/json' \
    -d '{"scopes":["Presence.ReadWrite","User.Read"]}' "$SIM_URL/_sim/token" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).access_token))')"
  curl -fsS -X POST -H 'content-type: application/json' "$SIM_URL/_sim/teams-client" -d '{"signedIn":true}' >/dev/null
  curl -fsS -X POST -H 'content-type: application/json' "$SIM_URL/_sim/faults" \
    -d '{"path":"/users/00000000-0000-0000-0000-00000000dead","count":1000,"status":503,"delayMs":2000}' >/dev/null
  PRESENCE_SIM_URL="$SIM_URL" PRESENCE_SIM_TOKEN="$token" \
    cargo test -p presence-switch --target "$WASM_TARGET" --test web_page --test web_worker
  stop_sim

  step "tsc --noEmit: the JS shell against the generated .d.ts"
  npm run -s typecheck

  if [ -d tests/js ]; then
    step "node --test tests/js (JS unit tests)"
    node --test tests/js/
  fi
  if [ -d tests/e2e ]; then
    step "node --test tests/e2e (end-to-end: Chromium + extension + simulator)"
    PRESENCE_SIM_BIN="$ROOT/target/debug/presence-sim" node --test --test-concurrency=1 tests/e2e/
  fi
  step "all tests passed"
}

# --- other commands -------------------------------------------------------------------------

serve() {
  build_wasm
  step "serving www/ on http://127.0.0.1:${PORT:-8080}/ (ctrl-c to stop)"
  node tools/serve.mjs www "${PORT:-8080}"
}

demo() {
  build_all
  ensure_chromium
  cargo build -q -p presence-sim
  [ -f tools/demo.mjs ] || die "tools/demo.mjs is not there yet"
  PRESENCE_SIM_BIN="$ROOT/target/debug/presence-sim" node tools/demo.mjs
}

bench() {
  build_all
  ensure_chromium
  step "cargo build -p presence-sim"
  cargo build -q -p presence-sim
  step "cargo bench -p presence-switch (native micro-benchmarks)"
  cargo bench -p presence-switch --bench core
  # Ours (dist/chrome-test) and the no-wasm baseline (bench/baseline) side by side in one
  # Chromium against one simulator; table on stdout, JSON in bench/results/latest.json.
  step "node bench/run.mjs (extension vs baseline, ${BENCH_REPS:-30} repetitions each)"
  PRESENCE_SIM_BIN="$ROOT/target/debug/presence-sim" node bench/run.mjs
}

case "${1:-build}" in
  build) build_all ;;
  wasm) build_wasm ;;
  test) run_tests ;;
  demo) demo ;;
  serve) serve ;;
  bench) bench ;;
  *) die "unknown command '$1'; use one of: build, wasm, test, demo, serve, bench" ;;
esac
