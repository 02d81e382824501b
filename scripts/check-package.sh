#!/usr/bin/env bash
# The published crates (cccd-qr, cccd) package as crates.io would take them, offline:
#  1. every workspace package either is published with its metadata (description, license,
#     repository, readme, keywords, categories, docs.rs settings) or says `publish = false`;
#  2. `cargo package --list`: the file list holds no test that reads outside the package
#     (../../testdata, ../../fuzz, shared/): such tests are excluded in Cargo.toml;
#  3. `cargo package --no-verify`: the manifests normalize (versions on path dependencies, no
#     file outside the package such as an include_str! of the repository README) and the
#     .crate files are written to target/package.
# CCCD_PACKAGE_VERIFY=1 also lets cargo build each unpacked crate from the .crate alone (a
# full build of the dependency tree; it needs the crates in the local registry cache).
set -euo pipefail
cd "$(dirname "$0")/.."
published=(cccd-qr cccd)

cargo metadata --no-deps --format-version 1 --offline | python3 -c '
import json, sys
published = set(sys.argv[1:])
bad = []
for p in json.load(sys.stdin)["packages"]:
    name = p["name"]
    if name in published:
        for field in ("description", "license", "repository", "readme"):
            if not p.get(field):
                bad.append(f"{name}: no {field}")
        for field in ("keywords", "categories"):
            if not p.get(field):
                bad.append(f"{name}: no {field}")
        if "docs" not in (p.get("metadata") or {}):
            bad.append(f"{name}: no [package.metadata.docs.rs]")
        if p.get("publish") == []:
            bad.append(f"{name}: publish = false, but it is a published crate")
    elif p.get("publish") != []:
        bad.append(f"{name}: not in the published set; mark it publish = false")
if bad:
    sys.exit("package metadata:\n  " + "\n  ".join(bad))
print("package metadata: ok for", ", ".join(sorted(published)))
' "${published[@]}"

args=()
for p in "${published[@]}"; do args+=(-p "$p"); done
for p in "${published[@]}"; do
  dir="$(cargo metadata --no-deps --format-version 1 --offline | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == sys.argv[1]:
        print(p["manifest_path"].rsplit("/", 1)[0])
' "$p")"
  files="$(cargo package --list --allow-dirty --offline -p "$p" 2>/dev/null)"
  # A packaged file that reaches outside the package cannot work from the .crate.
  outside=""
  while read -r f; do
    case "$f" in
      tests/*.rs|tests/*/*.rs|examples/*.rs|src/*|src/*/*|src/*/*/*|src/*/*/*/*)
        if grep -Eq '\.\./\.\./(testdata|fuzz|shared)|\.\./\.\./\.\./|/\.\./testdata' "$dir/$f" 2>/dev/null; then
          outside+=" $f"
        fi ;;
    esac
  done <<<"$files"
  if [ -n "$outside" ]; then
    echo "package $p: these packaged files read outside the package:$outside" >&2
    echo "  (exclude them in $dir/Cargo.toml or make them self-contained)" >&2
    exit 1
  fi
  echo "package $p: $(wc -l <<<"$files") files, none reads outside the package"
done

if [ "${CCCD_PACKAGE_VERIFY:-0}" = 1 ]; then
  cargo package --allow-dirty --offline "${args[@]}"
else
  cargo package --no-verify --allow-dirty --offline "${args[@]}"
fi
