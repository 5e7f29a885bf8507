# Sourced by ./mvnw and ./lockspec: exports JAVA_HOME for a JDK >= 21
# (the Eclipse platform bundles require JavaSE-21). Looks at JAVA_HOME, then the
# java on PATH, then the JDKs installed under /usr/lib/jvm and /opt.
lockspec_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}
lockspec_pick_jdk() {
  local j v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v="$(lockspec_java_major "$JAVA_HOME/bin/java")"
    [ "${v:-0}" -ge 21 ] 2>/dev/null && return 0
  fi
  if command -v java >/dev/null 2>&1; then
    v="$(lockspec_java_major java)"
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then
      JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; export JAVA_HOME; return 0
    fi
  fi
  for j in /usr/lib/jvm/*/bin/java /opt/*/bin/java; do
    [ -x "$j" ] || continue
    v="$(lockspec_java_major "$j")"
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then
      JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$j")")")"; export JAVA_HOME; return 0
    fi
  done
  echo "lockspec: a JDK 21 or newer is needed (none in JAVA_HOME, on PATH or under /usr/lib/jvm)." >&2
  return 2
}
