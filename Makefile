# Makefile for digilevel: the library (static and shared), the CLI, tests, sanitizer and valgrind
# runs, the demo and the benchmark. Override CC, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX, DESTDIR as usual.

CC ?= cc
CFLAGS ?= -O2 -g
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build

WARN := -std=c11 -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(CI),true)
WARN += -Werror
endif
ifneq ($(WERROR),)
WARN += -Werror
endif

PKGS := libxml-2.0 libpcre2-8
DEP_CFLAGS := $(shell pkg-config --cflags $(PKGS))
DEP_LIBS := $(shell pkg-config --libs $(PKGS)) -lhpdf -lm -lpthread

ALL_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -Iinclude -Iengine -Ireports -I$(BUILD)/gen \
	$(DEP_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS := $(WARN) $(CFLAGS)

# The schemas embedded in the library, in dl__schema_id order (engine/xmldoc.h).
SCHEMAS := questionnaires/questionnaire.xsd questionnaires/sheet.xsd policies/policy.xsd policies/targets.xsd

LIB_SRC := $(wildcard engine/*.c) $(wildcard reports/*.c)
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/schemas.o
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRC))
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
HEADERS := $(wildcard include/*.h include/digilevel/*.h)
# Fuzz targets: fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput. `make check` replays the corpus
# tests/fuzz/NAME/ through a plain driver (fuzz/replay.c); `make fuzz` builds libFuzzer binaries.
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst fuzz/fuzz_%.c,%,$(FUZZ_SRC))
REPLAY_BIN := $(patsubst %,$(BUILD)/fuzz/replay-%,$(FUZZ_NAMES))

STATIC_LIB := $(BUILD)/libdigilevel.a
SHARED_LIB := $(BUILD)/libdigilevel.so
CLI := $(BUILD)/digilevel

.PHONY: all check asan leakcheck demo bench lint install clean fuzz

all: $(STATIC_LIB) $(SHARED_LIB) $(CLI)

$(BUILD)/gen/schemas.c: $(SCHEMAS) scripts/embed-schemas.sh
	@mkdir -p $(@D)
	sh scripts/embed-schemas.sh $(SCHEMAS) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/schemas.o: $(BUILD)/gen/schemas.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -DDL_BUILDING_LIBRARY -c $< -o $@

$(BUILD)/obj/engine/%.o $(BUILD)/obj/reports/%.o: CFLAGS_EXTRA := -fPIC -fvisibility=hidden -DDL_BUILDING_LIBRARY

$(BUILD)/obj/%.o: %.c $(HEADERS) $(wildcard engine/*.h reports/*.h cli/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(CFLAGS_EXTRA) -MMD -c $< -o $@

$(STATIC_LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(SHARED_LIB): $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libdigilevel.so.0 -o $@ $^ $(DEP_LIBS)

$(CLI): $(CLI_OBJ) $(STATIC_LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(STATIC_LIB) $(DEP_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/test_util.h $(STATIC_LIB) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

# A target may read the library's private headers (fuzz_policy.c reads a policy's caps).
FUZZ_DEPS := fuzz/fuzz_common.h $(STATIC_LIB) $(HEADERS) $(wildcard engine/*.h)

$(BUILD)/fuzz/replay-%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_DEPS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ fuzz/fuzz_$*.c fuzz/replay.c $(STATIC_LIB) $(DEP_LIBS)

# libFuzzer binaries with ASan+UBSan (clang), one per fuzz/fuzz_NAME.c, rebuilt when it, the library
# or a header changes, into FUZZ_BUILD; run one with: build-fuzz/fuzz-NAME tests/fuzz/NAME (see
# docs/security.md)
FUZZ_BUILD ?= build-fuzz
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="$(FUZZ_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
		$(patsubst %,$(FUZZ_BUILD)/fuzz-%,$(FUZZ_NAMES))
	@echo "run e.g.: $(FUZZ_BUILD)/fuzz-sheet -max_total_time=60 tests/fuzz/sheet (see docs/security.md)"

$(BUILD)/fuzz-%: fuzz/fuzz_%.c $(FUZZ_DEPS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

check: all $(UNIT_BIN) $(REPLAY_BIN)
	@BUILD=$(BUILD) sh tests/run.sh

ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
asan:
	$(MAKE) BUILD=build-asan CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" check

leakcheck: all $(UNIT_BIN) $(REPLAY_BIN)
	@BUILD=$(BUILD) DL_TEST_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect" sh tests/run.sh

demo: all
	@sh scripts/demo.sh $(BUILD)

# Benchmarks (not tests; figures in docs/performance.md and docs/reports.md): bench/report_bench.c
# times rendering the two PDF reports in-process, then bench/run.sh measures scoring throughput
# against xmllint, peak memory and a whole cohort's PDFs (BENCH_QUICK=1 for a short run).
.PHONY: bench-report
bench: all bench-report
	sh bench/run.sh $(BUILD)
bench-report: $(BUILD)/bench/report_bench
	$(BUILD)/bench/report_bench
$(BUILD)/bench/report_bench: bench/report_bench.c $(STATIC_LIB) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)

install: all
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/digilevel $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/digilevel/questionnaires \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 $(STATIC_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(PREFIX)/lib/libdigilevel.so.0
	ln -sf libdigilevel.so.0 $(DESTDIR)$(PREFIX)/lib/libdigilevel.so
	install -m 644 include/digilevel.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 include/digilevel/*.h $(DESTDIR)$(PREFIX)/include/digilevel/
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 questionnaires/*.xml questionnaires/*.xsd $(DESTDIR)$(PREFIX)/share/digilevel/questionnaires/
	install -m 644 docs/digilevel.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|0.1.0|g' digilevel.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/digilevel.pc

lint:
	@sh scripts/lint.sh

clean:
	rm -rf build build-asan build-fuzz out

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
