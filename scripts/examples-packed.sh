#!/usr/bin/env bash
# Runs every example against the PACKED libraries, the way a user who installs them from npm gets them:
#   1. `npm pack` each public package in packages/* (CI built them already: this script builds nothing);
#   2. for each example in examples/*: copy it to a fresh temporary folder, point its @nordfil/* dependencies
#      (and, through npm `overrides`, the tarballs' dependencies on each other) at the tarballs, `npm install`;
#   3. type-check src/ against the packed declarations, bundle src/main.ts with esbuild (packages external, so
#      every @nordfil import goes through the tarball's `exports` map), and run `node dist/main.js`, WITHOUT
#      the @nordfil/source condition. Each example's direct-run path exits non-zero when its result is not ok.
# A broken `exports` map, a missing file in `files`, or an undeclared dependency fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$(mktemp -d "${TMPDIR:-/tmp}/nordfil-packed.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export NODE_OPTIONS= # no inherited --conditions: the built files must be what runs
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

fail() {
  printf 'examples-packed: FAILED: %s\n' "$*" >&2
  exit 1
}
say() { printf 'examples-packed: %s (%ss)\n' "$*" "$SECONDS"; }

# --- 1. pack ------------------------------------------------------------------------------------------------
mkdir -p "$WORK/tarballs"
workspaces=()
for dir in packages/*/; do
  [ -f "$dir/package.json" ] || continue
  read -r name private < <(node -e 'const p=require(process.argv[1]);console.log(p.name, p.private===true)' "$ROOT/$dir/package.json")
  [ "$private" = true ] && continue
  [ -d "$dir/dist" ] || fail "$name has no dist/: run 'npm run build' first"
  workspaces+=(-w "$name")
done
[ ${#workspaces[@]} -gt 0 ] || fail "no packages to pack"
npm pack "${workspaces[@]}" --pack-destination "$WORK/tarballs" --json --silent >"$WORK/pack.json" ||
  fail "npm pack"
say "packed $(ls "$WORK/tarballs" | wc -l) packages"

ESBUILD="$ROOT/node_modules/.bin/esbuild"
TSC="$ROOT/node_modules/.bin/tsc"
[ -x "$ESBUILD" ] || fail "esbuild is not installed (root devDependency): run npm ci"

# --- 2 and 3. each example ----------------------------------------------------------------------------------
count=0
for ex in examples/*/; do
  [ -f "$ex/package.json" ] || continue
  name=$(basename "$ex")
  dest="$WORK/examples/$name"
  mkdir -p "$dest"
  # the example as a user would have it: sources and data, no node_modules or build output
  (cd "$ex" && tar --exclude=node_modules --exclude=dist --exclude='.spar-nightly' -cf - .) | (cd "$dest" && tar -xf -)
  # examples import public entry points only, never a path into packages/
  if grep -rEn "from '(\.\./)+(\.\./)?packages/|from '.*packages/[a-z-]+/src" "$dest/src" >/dev/null; then
    fail "$name imports a path into packages/ instead of a public entry point"
  fi

  node - "$dest/package.json" "$WORK/pack.json" "$WORK/tarballs" <<'NODE' || fail "$name: rewriting package.json"
const fs = require('node:fs');
const path = require('node:path');
const [file, packJson, dir] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
const tarballs = {};
for (const p of JSON.parse(fs.readFileSync(packJson, 'utf8'))) tarballs[p.name] = `file:${path.join(dir, p.filename)}`;
for (const dep of Object.keys(pkg.dependencies ?? {})) {
  if (!dep.startsWith('@nordfil/')) continue;
  if (!tarballs[dep]) throw new Error(`${pkg.name} depends on ${dep}, which is not a packed package`);
  pkg.dependencies[dep] = tarballs[dep];
}
// the tarballs depend on each other at ^0.0.0 / 0.0.0: send every one of those to its tarball too
pkg.overrides = { ...tarballs };
delete pkg.devDependencies;
delete pkg.scripts;
fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
NODE

  say "$name: npm install"
  (cd "$dest" && npm install --no-audit --no-fund --prefer-offline --ignore-scripts --loglevel=error >"$WORK/$name-install.log" 2>&1) ||
    { cat "$WORK/$name-install.log" >&2; fail "$name: npm install against the tarballs"; }

  # the declarations the tarballs ship, seen through their `exports` maps (tests excluded: they need vitest)
  cat >"$dest/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "target": "ES2022", "lib": ["ES2023"], "module": "NodeNext", "moduleResolution": "NodeNext",
    "strict": true, "exactOptionalPropertyTypes": true, "noUncheckedIndexedAccess": true,
    "verbatimModuleSyntax": true, "skipLibCheck": true, "noEmit": true,
    "typeRoots": ["$ROOT/node_modules/@types"], "types": ["node"]
  },
  "include": ["src/**/*.ts"], "exclude": ["src/**/*.test.ts"]
}
JSON
  (cd "$dest" && "$TSC" -p tsconfig.json) || fail "$name: type errors against the packed declarations"

  (cd "$dest" && "$ESBUILD" src/main.ts --bundle --packages=external --platform=node --format=esm \
    --outfile=dist/main.js --log-level=warning) || fail "$name: esbuild"
  say "$name: node dist/main.js"
  (cd "$dest" && node dist/main.js >"$WORK/$name-run.log" 2>&1) ||
    { cat "$WORK/$name-run.log" >&2; fail "$name: the example failed against the packed libraries"; }
  sed 's/^/    /' "$WORK/$name-run.log"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || fail "no examples found"
say "all $count examples ran against the packed libraries"
