#!/usr/bin/env bash
# The widget's release build (dist/): trunk, with the cargo feature `split`, whose post-build step
# (scripts/post-build.mjs) cuts the code of the related news and of the comments into wasm parts of
# their own, optimizes, names and compresses. `trunk serve` builds without the feature: one wasm, as in development.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
TRUNK_BUILD_FEATURES=split trunk build --release "$@"
