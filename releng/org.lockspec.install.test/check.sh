#!/usr/bin/env bash
# Checks the install test's result:
#  1. the installation has the Lockspec bundles and what they need beyond the platform;
#  2. every bundle of the update site is either in the feature or in the plain
#     platform (the uncategorised extras the CLI needs must be platform bundles, or
#     they would hide a bundle missing from the feature).
set -euo pipefail
install="$1"; site="$2"; platform="$3"; feature="$4"
fail() { echo "install test: $*" >&2; exit 1; }
bsn() { # bundle symbolic names of the jars in a plugins folder
  for j in "$1"/*.jar; do
    unzip -p "$j" META-INF/MANIFEST.MF | tr -d '\r' | awk '
      /^Bundle-SymbolicName:/ { s=$0; sub(/^Bundle-SymbolicName: */, "", s); getline n
        while (n ~ /^ /) { sub(/^ /, "", n); s = s n; getline n }; sub(/;.*/, "", s); print s }'
  done | sort -u
}
[ -d "$install/plugins" ] || fail "nothing installed in $install"
installed="$(bsn "$install/plugins")"
for b in org.lockspec org.lockspec.ui org.lockspec.prover org.lockspec.diagram org.lockspec.generator com.microsoft.z3 org.eclipse.elk.alg.layered org.eclipse.xtext org.eclipse.xtext.ide \
         com.google.inject com.google.guava org.antlr.runtime org.eclipse.ui.genericeditor org.eclipse.ui.ide.application; do
  grep -qx "$b" <<<"$installed" || fail "$b is not installed"
done
in_feature="$(grep -o '<plugin id="[^"]*"' "$feature" | sed 's/<plugin id="//; s/"$//' | sort -u)"
in_platform="$(bsn "$platform/plugins")"
for b in $(bsn "$site/plugins"); do
  grep -qx "$b" <<<"$in_feature" && continue
  grep -qx "$b" <<<"$in_platform" && continue
  fail "the update site has $b, which is neither in the feature nor in the plain platform"
done
for b in $in_feature; do
  grep -qx "$b" <<<"$in_platform" && fail "the feature includes $b, which the platform has: leave it to the platform"
done
echo "install test: the feature installs into the plain platform ($(wc -l <<<"$installed") bundles installed)"
