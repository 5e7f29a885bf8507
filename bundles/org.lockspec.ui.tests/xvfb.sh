#!/usr/bin/env bash
# Gives the UI tests a display: the caller's DISPLAY if it has one, else an
# Xvfb of our own on a free display (Xvfb picks it: -displayfd). The Xvfb
# lives as long as the Maven process that started this script (it is stopped
# after the tests, and also if the build fails or is interrupted).
#   xvfb.sh start OUT_PROPERTIES   writes lockspec.display=... to OUT_PROPERTIES
#   xvfb.sh stop  OUT_PROPERTIES   stops the Xvfb that 'start' started, if any
set -euo pipefail
cmd="$1"; props="$2"
pidfile="$props.pid"
case "$cmd" in
start)
  mkdir -p "$(dirname "$props")"
  if [ -n "${DISPLAY:-}" ] && [ "${LOCKSPEC_OWN_XVFB:-}" != 1 ]; then
    echo "lockspec.display=$DISPLAY" > "$props"
    echo "UI tests: on the display $DISPLAY"
    exit 0
  fi
  if ! command -v Xvfb >/dev/null 2>&1; then
    echo "UI tests need a display: DISPLAY is not set and Xvfb is not installed." >&2
    echo "Install it (Debian/Ubuntu: apt-get install -y xvfb libgtk-3-0) or run under a display." >&2
    exit 1
  fi
  maven=$PPID
  fdfile="$(mktemp)"
  # Xvfb writes the display number it chose to fd 3 once it accepts connections
  Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$fdfile" >/dev/null 2>&1 &
  xvfb=$!
  for _ in $(seq 1 100); do
    [ -s "$fdfile" ] && break
    kill -0 "$xvfb" 2>/dev/null || { echo "Xvfb did not start" >&2; exit 1; }
    sleep 0.1
  done
  n="$(tr -d '[:space:]' < "$fdfile")"; rm -f "$fdfile"
  [ -n "$n" ] || { kill "$xvfb" 2>/dev/null; echo "Xvfb did not report its display" >&2; exit 1; }
  echo "$xvfb" > "$pidfile"
  # a watchdog: when Maven exits (a failed test stops the build before 'stop'), Xvfb goes too
  ( while kill -0 "$maven" 2>/dev/null && kill -0 "$xvfb" 2>/dev/null; do sleep 2; done; kill "$xvfb" 2>/dev/null ) \
    >/dev/null 2>&1 </dev/null &
  disown -a
  echo "lockspec.display=:$n" > "$props"
  echo "UI tests: started Xvfb (pid $xvfb) on :$n"
  ;;
stop)
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  fi
  ;;
esac
