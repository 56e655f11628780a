# The two commands of the README, and the pieces they are made of.
.PHONY: demo test setup build sizes e2e server bench bench-server console

demo:        ## install what is missing, then serve the demo on http://127.0.0.1:8080
	scripts/demo.sh

test:        ## install what is missing, then run every test layer
	scripts/test.sh

setup:
	scripts/setup.sh browser

build:
	. scripts/env.sh && scripts/build-widget.sh && scripts/sizes.sh dist

console:     ## the newsroom console's release build: console/dist (served with kiosque-server --console console/dist)
	. scripts/env.sh && cd console && trunk build --release && node ../scripts/console-size.mjs dist

e2e: build console
	. scripts/env.sh && cargo build --locked -p kiosque-server && npx playwright test

server:      ## the reference server, optimized for production: target/server/kiosque-server
	cargo build --locked --profile server -p kiosque-server

bench: setup build server   ## release widget and server, then the benchmark table (bench/results/latest.json)
	. scripts/env.sh && node bench/run.mjs

bench-server: server   ## production server next to Isso under load (wrk), installs wrk and Isso when missing; table and bench/results/server-latest.json
	bench/server-setup.sh && node bench/server.mjs
