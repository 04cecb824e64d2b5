# UNet Lab Kit — the two commands a newcomer runs:
#   make lab    run the lab (installs what it needs first)
#   make lab-advanced   the advanced lab (retinal vessels, seeds 000–003)
#   make test   run every test (installs what it needs first)
#   make grade  grade your exercises in Labs/ (a score table; exit status 0 at full marks)
#   make grade-class SUBMISSIONS=DIR   instructors: a folder of submissions → a gradebook
#
# Everything else: make deps | build | grade-class-demo | check-report | fixtures | hostile-corpus | check-hostile-corpus
#                  | check-pytorch | bench | bench-networks | bench-scaling | bench-conv
#                  | bench-torch | strip-solutions
#                  | student-edition | clean

SWIFT      ?= swift
CONFIG     ?= release
LAB_OUT    ?= lab-output
ADV_OUT    ?= lab-advanced-output
DEB_PKGS   := libopenblas-dev libpng-dev libfreetype-dev fonts-dejavu-core pkg-config unzip zip
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN         = .build/$(CONFIG)/unetlab

.PHONY: hostile-corpus check-hostile-corpus lab lab-advanced check-report check-report-advanced test grade grade-class grade-class-demo deps build fixtures torch check-pytorch bench bench-networks bench-scaling bench-conv bench-dilated-conv bench-torch strip-solutions student-edition clean
GRADE_TIMEOUT ?= 300

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

## Run the lab: nine narrated cells on your exercises (Labs/), figures and report.html in LAB_OUT.
##   make lab SOLUTIONS=1   the reference answers instead      make lab QUICK=1   a fast pass (~1 min)
lab: build
	$(BIN) lab $(if $(SOLUTIONS),--solutions) $(if $(QUICK),--quick) --out $(LAB_OUT)

## The advanced lab: ten narrated cells on synthetic retinal vessels, report.html in ADV_OUT.
##   make lab-advanced SOLUTIONS=1   the reference answers     make lab-advanced QUICK=1   a fast pass (~1 min)
lab-advanced: build
	$(BIN) lab-advanced $(if $(SOLUTIONS),--solutions) $(if $(QUICK),--quick) --out $(ADV_OUT)

## Look at report.html in headless Chromium (apt-get install chromium): a screenshot next to it,
## and a check that every cell and figure made it into the page. Not part of `make test`.
check-report:
	@test -f $(LAB_OUT)/report.html || { echo "no $(LAB_OUT)/report.html: run make lab first"; exit 1; }
	@command -v chromium >/dev/null || { echo "check-report needs chromium: apt-get install chromium"; exit 1; }
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,15000 \
	  --screenshot=$(LAB_OUT)/report-screenshot.png file://$(abspath $(LAB_OUT))/report.html 2>/dev/null
	@chromium --headless --no-sandbox --disable-gpu --dump-dom file://$(abspath $(LAB_OUT))/report.html 2>/dev/null \
	  > $(LAB_OUT)/.report-dom.html
	@cells=$$(grep -o 'class="cell" id="cell-[0-9]*"' $(LAB_OUT)/.report-dom.html | wc -l); \
	  images=$$(grep -o '<img src="data:image/png;base64,' $(LAB_OUT)/.report-dom.html | wc -l); \
	  rm -f $(LAB_OUT)/.report-dom.html; \
	  echo "chromium rendered $$cells cells and $$images embedded figures; screenshot: $(LAB_OUT)/report-screenshot.png"; \
	  test $$cells -eq 9 && test $$images -ge 1

## The same for the advanced lab's report (ADV_OUT): 10 cells, and at least 15 embedded figures
## when every cell ran (fewer if a cell failed).
check-report-advanced:
	@test -f $(ADV_OUT)/report.html || { echo "no $(ADV_OUT)/report.html: run make lab-advanced first"; exit 1; }
	@command -v chromium >/dev/null || { echo "check-report-advanced needs chromium: apt-get install chromium"; exit 1; }
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,20000 \
	  --screenshot=$(ADV_OUT)/report-screenshot.png file://$(abspath $(ADV_OUT))/report.html 2>/dev/null
	@chromium --headless --no-sandbox --disable-gpu --dump-dom file://$(abspath $(ADV_OUT))/report.html 2>/dev/null \
	  > $(ADV_OUT)/.report-dom.html
	@cells=$$(grep -o 'class="cell" id="cell-[0-9]*"' $(ADV_OUT)/.report-dom.html | wc -l); \
	  images=$$(grep -o '<img src="data:image/png;base64,' $(ADV_OUT)/.report-dom.html | wc -l); \
	  figures=$$(ls $(ADV_OUT)/cell*.png | wc -l); \
	  rm -f $(ADV_OUT)/.report-dom.html; \
	  echo "chromium rendered $$cells cells and $$images embedded figures ($$figures PNG files); screenshot: $(ADV_OUT)/report-screenshot.png"; \
	  test $$cells -eq 10 && test $$images -eq $$figures && test $$images -ge 15

## Every test, in release mode (numeric tests are ~20x slower in debug), on the OpenBLAS kernel
## unetlab picks for this CPU (`unetlab openblas-kernel`; a user's OPENBLAS_CORETYPE is kept).
test: deps
	$(SWIFT) build -c $(CONFIG)
	@$(BIN) openblas-kernel
	env $$($(BIN) openblas-kernel --environment) $(SWIFT) test -c $(CONFIG) --skip LabGraders

## Grade Labs/: the libraries are built without Labs/ (unetlab-grade), then Labs/ is compiled alone
## against them (a file that does not compile is replaced by its stub from Stubs/), and each
## exercise's grader runs in its own sandboxed process, GRADE_TIMEOUT seconds each.
grade: deps
	$(SWIFT) build -c $(CONFIG) --product unetlab-grade
	.build/$(CONFIG)/unetlab-grade grade --timeout $(GRADE_TIMEOUT)

## Instructors: grade a class. SUBMISSIONS=DIR (one subfolder or .zip/.tar.gz per student),
## GRADES=DIR (gradebook.csv, feedback/, records/), JOBS=N, SHARD=i/n; FORCE=1 re-grades everyone.
SUBMISSIONS ?= submissions
GRADES      ?= grades
JOBS        ?= 2
grade-class: deps
	$(SWIFT) build -c $(CONFIG) --product unetlab-grade
	.build/$(CONFIG)/unetlab-grade grade --submissions $(SUBMISSIONS) --out $(GRADES) --jobs $(JOBS) \
	  --timeout $(GRADE_TIMEOUT) $(if $(SHARD),--shard $(SHARD)) $(if $(FORCE),--force)

## A class of 20 generated submissions graded end to end (2 jobs), with the wall time and the
## time per student (GraderTests.ClassGradingDemo; instructor's edition; ~1-2 minutes after the build).
grade-class-demo: deps
	$(SWIFT) build -c $(CONFIG)
	UNETLAB_CLASS_DEMO=1 $(SWIFT) test -c $(CONFIG) --filter GraderTests.ClassGradingDemo

## Instructors: regenerate Labs/ from Solutions/; write the student edition to STUDENT_OUT.
strip-solutions: build
	$(BIN) strip-solutions
STUDENT_OUT ?= ../unet-lab-student
student-edition: build
	$(BIN) student-edition --out $(STUDENT_OUT)

## The hostile-input corpus of the fuzz tests (standard-library Python only; byte-identical everywhere).
hostile-corpus:
	python3 Fixtures/make_hostile_corpus.py
check-hostile-corpus:
	@tmp=$$(mktemp -d) && python3 Fixtures/make_hostile_corpus.py $$tmp > /dev/null && \
	  diff -r $$tmp Tests/Fixtures/hostile && rm -rf $$tmp && echo "Tests/Fixtures/hostile is reproduced byte for byte"

## Regenerate the PyTorch fixtures (needs: pip install torch==2.13.0+cpu).
fixtures: torch hostile-corpus
	python3 Fixtures/make_fixtures.py
	python3 Fixtures/make_model_fixtures.py
	python3 Fixtures/make_exercise_fixtures.py
	python3 Fixtures/make_layer_fixtures.py
	python3 Fixtures/make_training_fixtures.py
	python3 Fixtures/make_data_fixtures.py
	python3 Fixtures/make_network_fixtures.py
	python3 Fixtures/generator_reference.py
	python3 Fixtures/vessel_reference.py

## Install the pinned references when missing (only the fixture checks need them): PyTorch,
## torchvision's source (its ops are read from it; --no-deps keeps the CPU torch), scikit-learn
## and OpenCV.
torch:
	@python3 -c "import torch" 2>/dev/null || pip install -q "torch==2.13.0+cpu"
	@python3 -c "import importlib.util as u; exit(u.find_spec('torchvision') is None)" 2>/dev/null \
	  || pip install -q --no-deps "torchvision==0.28.0"
	@python3 -c "import sklearn, cv2" 2>/dev/null \
	  || pip install -q "scikit-learn==1.9.1" "opencv-python-headless==5.0.0.93"
	@python3 -c "import torchsummary" 2>/dev/null || pip install -q --no-deps "torch-summary==1.4.5"

## Checks against PyTorch itself: the fixture scripts reproduce the committed fixtures byte for
## byte, and weights cross between unetlab and the course's PyTorch networks both ways.
check-pytorch: torch build check-hostile-corpus
	@tmp=$$(mktemp -d) && python3 Fixtures/make_fixtures.py $$tmp/ops.safetensors > /dev/null && \
	  python3 Fixtures/make_model_fixtures.py $$tmp/models.safetensors > /dev/null && \
	  python3 Fixtures/make_exercise_fixtures.py $$tmp/exercises.safetensors > /dev/null && \
	  python3 Fixtures/make_layer_fixtures.py $$tmp/layers.safetensors > /dev/null && \
	  python3 Fixtures/make_training_fixtures.py $$tmp/training.safetensors > /dev/null && \
	  python3 Fixtures/make_data_fixtures.py $$tmp/data.safetensors > /dev/null && \
	  python3 Fixtures/make_network_fixtures.py $$tmp/networks.safetensors > /dev/null && \
	  python3 Fixtures/vessel_reference.py $$tmp/vessel_stats.json > /dev/null && \
	  cmp $$tmp/ops.safetensors Tests/Fixtures/ops.safetensors && \
	  cmp $$tmp/models.safetensors Tests/Fixtures/models.safetensors && \
	  cmp $$tmp/exercises.safetensors Sources/Grading/Fixtures/exercises.safetensors && \
	  cmp $$tmp/layers.safetensors Tests/Fixtures/layers.safetensors && \
	  cmp $$tmp/training.safetensors Tests/Fixtures/training.safetensors && \
	  cmp $$tmp/data.safetensors Tests/Fixtures/data.safetensors && \
	  cmp $$tmp/networks.safetensors Tests/Fixtures/networks.safetensors && \
	  cmp $$tmp/vessel_stats.json Tests/Fixtures/vessel_stats.json && \
	  echo "fixtures reproduce byte for byte"; status=$$?; rm -rf $$tmp; exit $$status
	bash Fixtures/check_pytorch_roundtrip.sh $(BIN)

## unetlab against PyTorch in the same run: train step and forward pass of the three networks
## (batch 4, 128×128, median of 5 steps, 3 alternating rounds), with the ratios. ~10 minutes.
bench: torch build
	python3 Fixtures/bench_vs_pytorch.py --bin $(BIN)

## The seeds' vessel networks (SA-UNet width 16, the Keras U-Net and seed 002's UNet width 64), same comparison.
bench-networks: torch build
	python3 Fixtures/bench_vs_pytorch.py --bin $(BIN) --models sa-unet,keras-unet,octa-unet,dacrse-unet

## The UNet's step time at sizes 64, 128, 256 and batches 1, 4, 16, beside PyTorch's. ~10 minutes.
bench-scaling: torch build
	python3 Fixtures/bench_vs_pytorch.py --bin $(BIN) --models unet --rounds 1 --steps 3 --scaling

## The PyTorch peer's train-step and forward times (batch 4, 128×128, 2 threads).
bench-torch: torch
	python3 Fixtures/pytorch_peer.py bench --model unet --batch 4 --size 128 --steps 5 --threads 2

bench-conv: build
	$(BIN) bench-conv

## Dilated 3×3 convolutions (the DAC block's): ours (naive, im2col + BLAS) and PyTorch's.
bench-dilated-conv: torch build
	for d in 2 3 5; do $(BIN) bench-conv --channels 64 --size 64 --batch 4 --dilation $$d; done
	python3 Fixtures/bench_dilated_conv.py

clean:
	rm -rf .build $(LAB_OUT) $(ADV_OUT)
