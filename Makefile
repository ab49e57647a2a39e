# Sift — build, run, test and benchmark.
#
#   make run    install missing system packages, build release, run the demo over the bundled seeds
#   make test   install missing system packages, build and run the test suite
#   make bench  install missing system packages, build release, run the benchmarks (peers in a local venv)

SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libxml2-dev libsqlite3-dev pkg-config zlib1g-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release run test bench format lint check-imports clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product sift

run: release
	"$$($(SWIFT) build -c release --show-bin-path)/sift" demo

test: deps check-imports lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	bash Benchmarks/run.sh

# C interop stays in Curl and Markup.
check-imports:
	@bad=$$(grep -rlE 'import (CCurl|CLibXML2)' Sources --include='*.swift' | grep -vE '^Sources/(Curl|Markup)/' || true); \
	if [ -n "$$bad" ]; then echo "C modules imported outside their wrapper: $$bad"; exit 1; fi

format:
	git ls-files -z '*.swift' | xargs -0 $(SWIFT) format format --parallel --in-place

lint:
	git ls-files -z '*.swift' | xargs -0 $(SWIFT) format lint --strict --parallel

clean:
	rm -rf .build
