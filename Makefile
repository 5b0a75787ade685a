# Thin wrapper over CMake. `make run` and `make test` are the two commands a newcomer needs.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DB ?= trials.db
BIN := $(BUILD_DIR)/bin

FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
FUZZ_TARGETS ?= fuzz_parse_page fuzz_parse_veeva fuzz_parse_ctgov_html fuzz_parse_meddatax \
  fuzz_parse_trialx fuzz_parse_generic fuzz_parse_ctgov_v2_json fuzz_normalize fuzz_store

.PHONY: all deps build run test bench bench-full format clean sanitize fuzz install deb

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The whole pipeline over the bundled offline registry (served on loopback), into $(DB).
run: build
	@bash scripts/run-offline.sh $(BIN) $(DB)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure

sanitize: deps
	cmake -S . -B $(BUILD_DIR)-asan -DCMAKE_BUILD_TYPE=Debug -DTRIALMILL_SANITIZE=ON
	cmake --build $(BUILD_DIR)-asan -j $(JOBS)
	cd $(BUILD_DIR)-asan && ctest --output-on-failure

# libFuzzer targets (clang, ASan+UBSan), each run for FUZZ_SECONDS, or for FUZZ_RUNS inputs
# from a fixed seed when that is set (deterministic, for CI).
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(BUILD_DIR)-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRIALMILL_FUZZ=ON
	cmake --build $(BUILD_DIR)-fuzz -j $(JOBS) --target $(FUZZ_TARGETS)
	FUZZ_RUNS=$(FUZZ_RUNS) bash scripts/run-fuzz.sh $(BUILD_DIR)-fuzz/bin $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Benchmarks, each against its floor measured in the same run (ratios, not absolute times):
# parse vs bare Gumbo / RapidJSON; store vs bare SQLite inserts (BENCH_ARGS="--count 10000").
BENCH_ARGS ?=
bench: build
	$(BIN)/trialmill-bench-parse $(CURDIR) 1.0
	$(BIN)/trialmill-bench-lists
	$(BIN)/trialmill-bench-store $(BENCH_ARGS)
	$(BIN)/trialmill-bench-load --count 10000
	$(BIN)/trialmill-bench-load --count 100000
	$(BIN)/trialmill-bench-publish --count 100000

# The whole registry's size (600,000 studies, about 30 GB of database); not run by CI.
bench-full: build
	$(BIN)/trialmill-bench-load --count 600000

# The executables, man pages, example configs and systemd units (PREFIX=/usr/local by default;
# DESTDIR for staging).
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# A Debian package (CPack): build/trialmill_VERSION_ARCH.deb; `apt install ./build/trialmill_*.deb`.
deb: build
	cd $(BUILD_DIR) && cpack -G DEB

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR)-asan $(BUILD_DIR)-fuzz
