# Sourced by the benchmarks' run.sh: a JDK 21+, the plugins of the update site
# (rebuilt with ./mvnw when missing or older than the sources, as ./lockspec
# does; BENCH_BUILD=1 forces it), javac against them, and the JVM options of
# ./lockspec. After `bench_setup NAME`: $root, $plugins, $JAVA_HOME, $jvm_opts.
bench_setup() {
  local name="$1"
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cd "$root"
  . "$root/releng/scripts/jdk.sh"
  lockspec_pick_jdk || exit 2
  plugins="$root/updatesite/target/repository/plugins"
  if [ "${BENCH_BUILD:-}" = 1 ] || bench_stale; then
    echo "bench: building the plugins (./mvnw -B -o -q package -DskipTests) ..." >&2
    mkdir -p "$root/bench/target"
    "$root/mvnw" -B -o -q package -DskipTests >"$root/bench/target/$name-build.log" 2>&1 \
      || { echo "bench: the build failed; see bench/target/$name-build.log" >&2; exit 2; }
    rm -f "$root/bench/target/$name-build.log"
  fi
  jvm_opts=(-Xss64m -XX:+UseSerialGC)       # as ./lockspec runs the CLI
  [ "$(lockspec_java_major "$JAVA_HOME/bin/java")" -ge 23 ] 2>/dev/null && jvm_opts+=(--sun-misc-unsafe-memory-access=allow)
  [ "$(lockspec_java_major "$JAVA_HOME/bin/java")" -ge 22 ] 2>/dev/null && jvm_opts+=(--enable-native-access=ALL-UNNAMED)
  return 0
}

bench_stale() {
  local jar; jar="$(ls "$plugins"/org.lockspec.prover_*.jar 2>/dev/null | head -1)"
  [ -n "$jar" ] || return 0
  [ -n "$(find "$root/bundles" "$root/pom.xml" "$root/releng" -newer "$jar" \
      \( -name '*.java' -o -name '*.xtext' -o -name '*.mwe2' -o -name 'MANIFEST.MF' -o -name 'pom.xml' -o -name '*.target' \) \
      -not -path '*/target/*' -not -path '*/src-gen/*' -not -path '*.tests/*' -print -quit 2>/dev/null)" ]
}

# bench_compile OUT FILE...: compiles the harness against the plugins into OUT (emptied first)
bench_compile() {
  local out="$1"; shift
  rm -rf "$out" && mkdir -p "$out"
  "$JAVA_HOME/bin/javac" -nowarn -d "$out" -cp "$plugins/*" "$@"
}
