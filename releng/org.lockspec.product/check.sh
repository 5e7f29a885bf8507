#!/usr/bin/env bash
# The IDE product's test (./mvnw -B verify, once the archive is made):
#  1. the archive unpacks with GNU tar, silently, into one folder, lockspec-ide/;
#  2. that folder has the launcher (executable), eclipse.ini, a configuration that
#     names the product, the Equinox launcher jar and every bundle of the Lockspec
#     feature (the install test proves the feature complete over a plain platform);
#  3. the launcher, with a java older than 21 first (JAVA_HOME and PATH) when the
#     machine has one, finds a JDK 21+ and starts the platform with no application
#     (-Declipse.ignoreApp=true): every bundle started resolves, nothing is logged.
#   check.sh ARCHIVE FEATURE_XML
set -euo pipefail
archive="$1"; feature="$2"
fail() { echo "product test: $*" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

untar="$(tar -xzf "$archive" -C "$tmp" 2>&1)" || fail "tar -xzf $archive failed: $untar"
[ -z "$untar" ] || fail "tar -xzf is not silent ($(wc -l <<<"$untar") lines): $(head -2 <<<"$untar")"
[ "$(ls -A "$tmp")" = lockspec-ide ] || fail "the archive should hold one folder, lockspec-ide/, not: $(ls -A "$tmp" | head -5 | tr '\n' ' ')"
ide="$tmp/lockspec-ide"

[ -x "$ide/lockspec-ide" ] || fail "no executable launcher lockspec-ide"
[ -f "$ide/eclipse.ini" ] || fail "no eclipse.ini"
grep -qx 'eclipse.product=org.lockspec.ui.ide' "$ide/configuration/config.ini" || fail "configuration/config.ini does not name the product"
compgen -G "$ide/plugins/org.eclipse.equinox.launcher_*.jar" >/dev/null || fail "no Equinox launcher jar"
for b in $(grep -o '<plugin id="[^"]*"' "$feature" | sed 's/<plugin id="//; s/"$//'); do
  compgen -G "$ide/plugins/${b}_*" >/dev/null || fail "the feature's bundle $b is not in the product"
done

old=""
for release in /usr/lib/jvm/*/release; do
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")"
  if [ -n "$v" ] && [ "$v" -lt 21 ]; then old="$(dirname "$(readlink -f "$release")")"; break; fi
done
start=$(date +%s%N)
if [ -n "$old" ]; then
  log="$(JAVA_HOME="$old" PATH="$old/bin:$PATH" LOCKSPEC_IDE_JAVA_OPTS=-Declipse.ignoreApp=true \
    "$ide/lockspec-ide" -consoleLog -data "$tmp/workspace" 2>&1)" || fail "the IDE did not start: $log"
else
  log="$(LOCKSPEC_IDE_JAVA_OPTS=-Declipse.ignoreApp=true "$ide/lockspec-ide" -consoleLog -data "$tmp/workspace" 2>&1)" \
    || fail "the IDE did not start: $log"
fi
[ -z "$log" ] || fail "the IDE logged at start: $(head -20 <<<"$log")"
echo "product test: $(basename "$archive") unpacks silently into lockspec-ide/ ($(ls "$ide/plugins" | wc -l) plugins);" \
  "lockspec-ide${old:+ with $old first} started the platform in $(( ($(date +%s%N) - start) / 1000000 )) ms, nothing logged"
