#!/usr/bin/env bash
# tandem's one entry point: every command first sets up (installs the Debian packages tandem
# needs, configures and builds), then does its job.
#
#   ./tandem.sh run flows/quickstart.yaml   run a flow (the main job)
#   ./tandem.sh test [ctest args...]        run the whole test suite, then its fast part under
#                                           ASan + UBSan; with args only `ctest` with them (e.g. -L fast)
#   ./tandem.sh setup                       only install, configure and build
#   ./tandem.sh tandem ARGS...              run the built `tandem` CLI with ARGS
#
# TANDEM_PRESET selects the CMake preset (release, debug, asan); default release.
set -euo pipefail
cd "$(dirname "$0")"
PRESET="${TANDEM_PRESET:-release}"

# setup [TARGET]: everything, or only TARGET (run builds the CLI and the trainer it starts, not
# the tests and benchmarks).
setup() {
  scripts/install-deps.sh
  cmake --preset "$PRESET" >/dev/null
  cmake --build --preset "$PRESET" ${1:+--target "$1"}
}

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
  run)
    [ $# -ge 1 ] || { echo "usage: ./tandem.sh run FLOW.yaml" >&2; exit 2; }
    setup tandem-tools
    exec "build/$PRESET/tandem" run "$@"
    ;;
  test)
    setup
    if [ $# -gt 0 ] || [ "$PRESET" = asan ]; then
      exec ctest --preset "$PRESET" "$@"
    fi
    ctest --preset "$PRESET"
    # Then the fast suite again, built with AddressSanitizer + UndefinedBehaviorSanitizer.
    cmake --preset asan >/dev/null
    cmake --build --preset asan --target fast-tests
    exec ctest --preset asan -L fast
    ;;
  setup)
    setup
    ;;
  tandem)
    setup tandem-tools >/dev/null
    exec "build/$PRESET/tandem" "$@"
    ;;
  -h|--help|help|"")
    usage
    ;;
  *)
    echo "tandem.sh: unknown command '$command'" >&2
    usage >&2
    exit 2
    ;;
esac
