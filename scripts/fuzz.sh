#!/usr/bin/env bash
# Bounded fuzz run (issue 7): the "never panics" property tests of tests/hostile.rs with many more cases than
# plain `cargo test` (which runs 64 per property). Every parser — project load, JSON load, any-file open (text
# import, GB18030 decoding), cell input — gets arbitrary and mutated input; a panic, a non-Chinese message or a
# run past the time bound fails.
#
# cargo fuzz (libFuzzer) would need a nightly toolchain, which this build machine cannot fetch; proptest with a
# large case count is the stable-toolchain substitute (see RELIABILITY.md).
#
# Env: NIANBAO_FUZZ_CASES (default 4000 per property), FUZZ_SECONDS (default 600).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${NIANBAO_FUZZ_CASES:-4000}
SECS=${FUZZ_SECONDS:-600}
echo "fuzz: $CASES cases per property, at most ${SECS}s"
# Build first, so the time bound is spent on fuzzing rather than compiling. The dev profile is enough: the
# dependencies are optimised there too (Cargo.toml), and it shares the build with `cargo test`.
cargo test --test hostile --no-run
start=$(date +%s)
if ! NIANBAO_FUZZ_CASES=$CASES PROPTEST_MAX_SHRINK_ITERS=2000 timeout "$SECS" \
    cargo test --test hostile -- never_panics; then
    echo "fuzz: FAILED (a panic, a message not in Chinese, or over ${SECS}s; see above)" >&2
    exit 1
fi
echo "fuzz: OK in $(( $(date +%s) - start ))s"
