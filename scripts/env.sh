# Sourced by the other scripts: where the installed tools live.
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# Quieter, leaner builds on two cores.
export CARGO_TERM_PROGRESS_WHEN=never
