# The README's commands. Each one does its own set-up (scripts/setup.sh), idempotently.
.PHONY: run test bench dev

run:    ## build the release app and serve it at http://127.0.0.1:8080
	@scripts/run.sh

test:   ## every test: native; wasm in Chromium, Firefox and WebKit; end-to-end in Chromium (+ journeys in Firefox)
	@scripts/test.sh

bench:  ## benchmark figures, one per line
	@scripts/bench.sh

dev:    ## debug build with live reload (after `make run` has set things up once)
	bash -c "source scripts/env.sh && trunk serve --offline --address 127.0.0.1 --port 8080"
