# UNet Lab Kit — the two commands a newcomer runs:
#   make lab    run the lab (installs what it needs first)
#   make test   run every test (installs what it needs first)
#
# Everything else: make deps | build | fixtures | bench-conv | clean

SWIFT      ?= swift
CONFIG     ?= release
LAB_OUT    ?= lab-output
DEB_PKGS   := libopenblas-dev libpng-dev libfreetype-dev fonts-dejavu-core pkg-config
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN         = .build/$(CONFIG)/unetlab

.PHONY: lab test deps build fixtures check-fixtures bench-conv clean

## Install the Debian packages that are missing (apt-get only runs when one is).
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG)

## Run the lab (for now: the data cell, the convolution appendix and the conv benchmark).
lab: build
	$(BIN) generate --count 2 --size 128 --seed 1 --out $(LAB_OUT)/data
	$(BIN) appendix
	$(BIN) bench-conv

## Every test, in release mode (numeric tests are ~20x slower in debug).
test: deps
	$(SWIFT) build -c $(CONFIG)
	$(SWIFT) test -c $(CONFIG)

## Regenerate the PyTorch fixtures (needs: pip install torch==2.13.0+cpu).
fixtures:
	python3 Fixtures/make_fixtures.py
	python3 Fixtures/generator_reference.py

## Re-run the fixture script into a temporary file and check it reproduces the committed one.
check-fixtures:
	@python3 -c "import torch" 2>/dev/null || pip install -q "torch==2.13.0+cpu"
	@tmp=$$(mktemp -d) && python3 Fixtures/make_fixtures.py $$tmp/ops.safetensors && \
	  cmp $$tmp/ops.safetensors Tests/Fixtures/ops.safetensors && \
	  echo "fixtures reproduce byte for byte" ; status=$$?; rm -rf $$tmp; exit $$status

bench-conv: build
	$(BIN) bench-conv

clean:
	rm -rf .build $(LAB_OUT)
