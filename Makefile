# ledgerflow: the two commands a new user needs are `make demo` and `make test`.
# Everything else here is what they are made of.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CTEST_ARGS ?= --output-on-failure --timeout 900

.PHONY: all setup web build demo test test-release test-asan fuzz bench format format-check clean

all: build

setup:
	@bash scripts/setup.sh

# The dashboard is built with npm and embedded into the binary.
web: setup
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: web $(BUILD)/build.ninja
	@ninja -C $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/ledgerflow demo

test: build format-check test-release test-asan

test-release: build
	cd $(BUILD) && ctest $(CTEST_ARGS) -j 2

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLEDGERFLOW_SANITIZE=ON >/dev/null

# Unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: setup $(ASAN_BUILD)/build.ninja
	@ninja -C $(ASAN_BUILD) -j $(JOBS) unit_tests
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest $(CTEST_ARGS) -L unit -j 2

FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
# Coverage-guided fuzzing of the parsers and on-disk decoders (clang + libFuzzer).
fuzz: setup
	@[ -f $(FUZZ_BUILD)/build.ninja ] || CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDGERFLOW_FUZZ=ON >/dev/null
	@ninja -C $(FUZZ_BUILD) -j $(JOBS) fuzz_event_parser fuzz_finance_event_parser fuzz_log_record fuzz_csv
	@for t in fuzz_event_parser fuzz_finance_event_parser fuzz_log_record fuzz_csv; do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	  ./$(FUZZ_BUILD)/tests/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    $(FUZZ_BUILD)/corpus/$$t tests/fuzz/seeds || exit 1; \
	done

bench: build
	./$(BUILD)/ledgerflow bench --events 2000000 --shards 1
	./$(BUILD)/ledgerflow bench --events 2000000 --shards 2

FORMATTED = $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp')

format:
	clang-format -i $(FORMATTED)

# Part of `make test`: the C++ sources must be as clang-format (.clang-format) leaves them.
format-check: setup
	@clang-format --dry-run --Werror $(FORMATTED)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
