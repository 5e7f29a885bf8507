# Finds a JDK >= 21 (the Eclipse platform bundles require JavaSE-21): the one rule
# for every Lockspec command. Sourced by ./mvnw and ./lockspec; the build copies it
# into the launchers it makes (lockspec-ls/target/lockspec-ls, and lockspec-ide in
# the IDE product), which must run away from this checkout.
# lockspec_pick_jdk exports JAVA_HOME (and sets LOCKSPEC_JDK_MAJOR): it looks at
# JAVA_HOME, then the java on PATH, then the JDKs installed under /usr/lib/jvm and /opt.
lockspec_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}
lockspec_pick_jdk() {
  local j v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v="$(lockspec_java_major "$JAVA_HOME/bin/java")"
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then LOCKSPEC_JDK_MAJOR="$v"; return 0; fi
  fi
  if command -v java >/dev/null 2>&1; then
    v="$(lockspec_java_major java)"
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then
      JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; export JAVA_HOME
      LOCKSPEC_JDK_MAJOR="$v"; return 0
    fi
  fi
  for j in /usr/lib/jvm/*/bin/java /opt/*/bin/java; do
    [ -x "$j" ] || continue
    v="$(lockspec_java_major "$j")"
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then
      JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$j")")")"; export JAVA_HOME
      LOCKSPEC_JDK_MAJOR="$v"; return 0
    fi
  done
  echo "lockspec: a JDK 21 or newer is needed (none in JAVA_HOME, on PATH or under /usr/lib/jvm)." >&2
  return 2
}
# The JVM options the picked JDK needs, one per line: Guice and Equinox use
# sun.misc.Unsafe (JDK 23+ warns unless allowed); Z3 and SWT load native code
# (JDK 22+ warns unless it is enabled).
lockspec_jvm_options() {
  if [ "${LOCKSPEC_JDK_MAJOR:-0}" -ge 23 ]; then echo "--sun-misc-unsafe-memory-access=allow"; fi
  if [ "${LOCKSPEC_JDK_MAJOR:-0}" -ge 22 ]; then echo "--enable-native-access=ALL-UNNAMED"; fi
}
