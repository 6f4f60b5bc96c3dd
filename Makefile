# Shomei: every target does its own set-up, so a fresh Debian machine needs
# nothing but `make run` or `make test`.
SHELL := /bin/bash
export GOTOOLCHAIN := go1.27.4
export GOFLAGS := -buildvcs=false
export PATH := $(CURDIR)/.cache/bin:/usr/local/go/bin:$(PATH)

.PHONY: setup run test cli dist bench fmt vet clean

setup:
	@scripts/setup.sh

cli: setup
	@scripts/build.sh cli

run: cli
	@scripts/run.sh

test: setup
	@scripts/test.sh

dist: setup
	@scripts/dist.sh

bench: setup
	@scripts/bench.sh

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	go vet ./...

clean:
	rm -rf bin build/bin dist test-output
