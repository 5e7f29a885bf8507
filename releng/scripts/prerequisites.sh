# Sourced by ./mvnw: what the build and the tests need from the machine, beyond
# a JDK 21+ (jdk.sh) and Maven Central. On Debian/Ubuntu, missing packages are
# installed with apt-get (as root, or with sudo when it needs no password);
# elsewhere the message names what to install. LOCKSPEC_NO_INSTALL=1 only checks.
#
#   build:  maven (once, to fetch the pinned Maven 3.9), unzip
#   tests:  chromium    the HTML report is checked in headless Chromium
#           xvfb        the Eclipse UI tests run on a virtual display
#           libgtk-3-0  SWT draws with GTK 3

# the Debian packages (of $@: build, tests) that are missing, one per line
lockspec_missing_packages() {
  local need
  for need in "$@"; do
    case "$need" in
      build)
        command -v mvn >/dev/null 2>&1 || echo maven
        command -v unzip >/dev/null 2>&1 || echo unzip ;;
      tests)
        [ -n "${LOCKSPEC_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || echo chromium
        command -v Xvfb >/dev/null 2>&1 || echo xvfb
        lockspec_has_gtk3 || echo libgtk-3-0 ;;
    esac
  done
}

lockspec_has_gtk3() {
  if command -v dpkg-query >/dev/null 2>&1; then
    dpkg-query -W -f='${Status}' libgtk-3-0 2>/dev/null | grep -q 'ok installed' && return 0
    dpkg-query -W -f='${Status}' libgtk-3-0t64 2>/dev/null | grep -q 'ok installed' && return 0
  fi
  ldconfig -p 2>/dev/null | grep -q 'libgtk-3\.so\.0'
}

# installs (or, if it cannot, names) what $@ needs; returns 2 if something is still missing
lockspec_prerequisites() {
  local missing sudo="" what="${*}"
  what="${what/build tests/the build and the tests}"; what="${what/#tests/the tests}"; what="${what/#build/the build}"
  missing="$(lockspec_missing_packages "$@" | tr '\n' ' ')"
  missing="${missing% }"
  [ -n "$missing" ] || return 0
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; fi
  fi
  if [ "${LOCKSPEC_NO_INSTALL:-}" != 1 ] && command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -n "$sudo" ]; }; then
    echo "lockspec: installing Debian packages for $what: $missing (apt-get; LOCKSPEC_NO_INSTALL=1 only checks)" >&2
    # Debian's GTK 3 package was renamed on newer releases
    if [ "$(apt-cache policy libgtk-3-0 2>/dev/null | sed -n 's/^ *Candidate: //p')" = "(none)" ]; then
      missing="${missing/libgtk-3-0/libgtk-3-0t64}"
    fi
    local log; log="$(mktemp)"
    if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
      tail -n 20 "$log" >&2; rm -f "$log"
      echo "lockspec: apt-get could not install: $missing" >&2
      return 2
    fi
    rm -f "$log"
    missing="$(lockspec_missing_packages "$@" | tr '\n' ' ')"
    [ -z "$missing" ] && return 0
  fi
  echo "lockspec: Debian packages for $what are missing: ${missing% }" >&2
  echo "lockspec: install them (sudo apt-get install ${missing% }) and run the command again" >&2
  [ "${*}" = build ] || echo "lockspec: (chromium may also be named by LOCKSPEC_CHROMIUM; -DskipTests builds without them)" >&2
  return 2
}

# whether the Maven arguments $@ run the test suites
lockspec_runs_tests() {
  local a phase=0
  for a in "$@"; do
    case "$a" in
      -DskipTests|-DskipTests=true|-Dmaven.test.skip|-Dmaven.test.skip=true) return 1 ;;
      test|integration-test|verify|install|deploy|*:test) phase=1 ;;
    esac
  done
  [ "$phase" = 1 ]
}
