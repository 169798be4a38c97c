# Makefile for digilevel: the library (static and shared), the CLI, tests, sanitizer and valgrind
# runs, the demo and the benchmark. Override CC, CFLAGS, CPPFLAGS, LDFLAGS, PREFIX, LIBDIR, DESTDIR
# and BUILD as usual.

CC ?= cc
CFLAGS ?= -O2 -g
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=
BUILD ?= build
# Where `make install` puts the questionnaires, policies and examples, and the documentation. The CLI
# has them compiled in ($(BUILD)/gen/datadir.h), so the installed program finds its questionnaires
# from any directory; DESTDIR (staging) is not part of them.
DATADIR := $(PREFIX)/share/digilevel
DOCDIR := $(PREFIX)/share/doc/digilevel
# The Chinese message catalogue: LOCALEDIR/zh_CN/LC_MESSAGES/digilevel.mo (docs/messages.md).
LOCALEDIR := $(PREFIX)/share/locale

# The version: include/digilevel/common.h is its one source (DL_VERSION_MAJOR, _MINOR, _PATCH).
version_part = $(shell sed -n 's/^.define DL_VERSION_$(1) *\([0-9][0-9]*\)$$/\1/p' include/digilevel/common.h)
VERSION_MAJOR := $(call version_part,MAJOR)
VERSION := $(VERSION_MAJOR).$(call version_part,MINOR).$(call version_part,PATCH)

WARN := -std=c11 -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(CI),true)
WARN += -Werror
endif
ifneq ($(WERROR),)
WARN += -Werror
endif

# libxlsxwriter writes the self-assessment workbook, libzip reads a filled one (docs/spreadsheets.md).
PKGS := libxml-2.0 libpcre2-8 nettle xlsxwriter libzip
DEP_CFLAGS := $(shell pkg-config --cflags $(PKGS))
DEP_LIBS := $(shell pkg-config --libs $(PKGS)) -lhpdf -lm -lpthread

# The library's layers, lowest first: a folder each (docs/architecture.md); a file may include the
# headers of its own layer and of lower ones only (tests/scripts/layers.sh checks). The library,
# tests, fuzz targets and benchmarks see every layer's headers by their plain names; the CLI sees
# only include/ and its own folder (and the generated datadir.h), so it cannot reach past the API.
LAYERS := engine/base engine/input engine/model engine/scoring engine/output reports engine/cohort
ALL_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -Iinclude $(addprefix -I,$(LAYERS)) -I$(BUILD)/gen \
	$(DEP_CFLAGS) $(CPPFLAGS)
CLI_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -Iinclude -Iserver -I$(BUILD)/gen $(DEP_CFLAGS) $(CPPFLAGS)
# The server sees include/ and its own folder, as the CLI does, and its libraries' headers.
SERVER_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -Iinclude -Iserver -I$(BUILD)/gen $(DEP_CFLAGS) \
	$(SERVER_DEP_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS := $(WARN) $(CFLAGS)

# The schemas embedded in the library, in dl__schema_id order (engine/input/xmldoc.h), then the data
# embedded the same way: the known tags (engine/model/sheet_tags.c).
SCHEMAS := questionnaires/questionnaire.xsd questionnaires/sheet.xsd policies/policy.xsd policies/targets.xsd \
	questionnaires/catalogue.xsd questionnaires/tags.xsd questionnaires/tags.xml

LIB_SRC := $(foreach layer,$(LAYERS),$(wildcard $(layer)/*.c))
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/schemas.o
CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRC))
# The workbench (`digilevel serve`, docs/workbench.md): a part of the program like cli/, over the
# public API, with libmicrohttpd for HTTP and SQLite for its store. Its objects are an archive the
# program and the server's unit tests link.
# Passwords of district accounts are hashed with Argon2id (libargon2, server/password.c). libpq is
# the PostgreSQL store's client (server/db_pg.c; Debian's libpq-dev ships libpq.pc).
SERVER_PKGS := libmicrohttpd sqlite3 libpq
SERVER_DEP_CFLAGS := $(shell pkg-config --cflags $(SERVER_PKGS))
SERVER_DEP_LIBS := $(shell pkg-config --libs $(SERVER_PKGS)) -largon2
SERVER_SRC := $(wildcard server/*.c)
SERVER_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(SERVER_SRC)) $(BUILD)/obj/gen/static.o
# The pages' files, compiled in (scripts/embed-static.sh): /static/style.css is every
# server/static/*.css in name order, /static/app.js the optional script.
STATIC_CSS := $(sort $(wildcard server/static/*.css))
SERVER_LIB := $(BUILD)/libdigilevel-server.a
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
# Fuzz targets: fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput. `make check` replays the corpus
# tests/fuzz/NAME/ through a plain driver (fuzz/replay.c); `make fuzz` builds libFuzzer binaries.
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst fuzz/fuzz_%.c,%,$(FUZZ_SRC))
REPLAY_BIN := $(patsubst %,$(BUILD)/fuzz/replay-%,$(FUZZ_NAMES))

STATIC_LIB := $(BUILD)/libdigilevel.a
# The shared library: its file carries the version, its soname the major version (which changes
# when the ABI breaks); libdigilevel.so is for linking with -ldigilevel. Only the API is exported:
# the objects are built with -fvisibility=hidden and DL_EXTERN marks the API, and the version script
# exports nothing but dl_ names (tests/scripts/exports.sh checks the list against the headers).
SONAME := libdigilevel.so.$(VERSION_MAJOR)
SHARED_LIB := $(BUILD)/libdigilevel.so.$(VERSION)
SHARED_LINKS := $(BUILD)/$(SONAME) $(BUILD)/libdigilevel.so
VERSION_SCRIPT := libdigilevel.map
CLI := $(BUILD)/digilevel
# The Chinese message catalogue (docs/messages.md): compiled from po/zh_CN.po and the fragments
# po/zh_CN.*.po, and found by the program beside itself (BUILD/locale) or in LOCALEDIR.
CATALOGUE := $(BUILD)/locale/zh_CN/LC_MESSAGES/digilevel.mo
PO_FILES := po/zh_CN.po $(sort $(wildcard po/zh_CN.*.po))
# What xgettext reads for the messages to translate (_ and N_ mark them).
MESSAGE_SRC := $(sort $(LIB_SRC) $(CLI_SRC) $(SERVER_SRC) $(wildcard engine/*/*.h reports/*.h cli/*.h server/*.h))

.PHONY: all check asan tsan leakcheck demo bench lint install clean fuzz pot FORCE

all: $(STATIC_LIB) $(SHARED_LIB) $(SHARED_LINKS) $(CLI) $(CATALOGUE)

# msgcat keeps the first translation of a message found in two files; msgfmt --check refuses a
# translation whose printf directives do not match its msgid's.
$(CATALOGUE): $(PO_FILES)
	@mkdir -p $(@D)
	msgcat --use-first $(PO_FILES) | msgfmt --check -o $@.tmp - && mv $@.tmp $@

# po/digilevel.pot: every message of the sources, for a translator (`make pot`, then msgmerge).
pot: $(BUILD)/digilevel.pot
	cp $< po/digilevel.pot
$(BUILD)/digilevel.pot: $(MESSAGE_SRC)
	@mkdir -p $(@D)
	xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --add-comments=TRANSLATORS: \
		--package-name=digilevel --package-version=$(VERSION) --no-wrap -o $@ $(MESSAGE_SRC)

$(BUILD)/gen/schemas.c: $(SCHEMAS) scripts/embed-schemas.sh
	@mkdir -p $(@D)
	sh scripts/embed-schemas.sh $(SCHEMAS) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/schemas.o: $(BUILD)/gen/schemas.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -DDL_BUILDING_LIBRARY -c $< -o $@

$(BUILD)/gen/static.c: $(STATIC_CSS) server/static/app.js scripts/embed-static.sh
	@mkdir -p $(@D)
	sh scripts/embed-static.sh $(addprefix style:,$(STATIC_CSS)) app:server/static/app.js > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/static.o: $(BUILD)/gen/static.c
	@mkdir -p $(@D)
	$(CC) $(SERVER_CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

# The installed data and documentation directories, for the CLI only. Rewritten only when PREFIX
# changed, so that a new PREFIX rebuilds the CLI objects and an unchanged one rebuilds nothing.
$(BUILD)/gen/datadir.h: FORCE
	@mkdir -p $(@D)
	@printf '/* generated by the Makefile from PREFIX: the installed directories */\n#define DL_DATADIR "%s"\n#define DL_DOCDIR "%s"\n#define DL_LOCALEDIR "%s"\n' \
		'$(subst ','\'',$(subst ",\",$(subst \,\\,$(DATADIR))))' \
		'$(subst ','\'',$(subst ",\",$(subst \,\\,$(DOCDIR))))' \
		'$(subst ','\'',$(subst ",\",$(subst \,\\,$(LOCALEDIR))))' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# Each object depends on the headers it includes, as the compiler lists them (-MMD -MP) in its .d
# file beside it. The objects that include the generated datadir.h also depend on it by name: it
# must exist before their first compile, when no .d file lists it yet, and a new PREFIX must rebuild
# them even in a copied BUILD whose .d files name the old one (tests/scripts/install.sh).
DATADIR_USERS := $(patsubst %.c,$(BUILD)/obj/%.o,$(shell grep -l '"datadir.h"' $(CLI_SRC)))
$(DATADIR_USERS): $(BUILD)/gen/datadir.h

$(BUILD)/obj/engine/%.o $(BUILD)/obj/reports/%.o: CFLAGS_EXTRA := -fPIC -fvisibility=hidden -DDL_BUILDING_LIBRARY
$(BUILD)/obj/cli/%.o: ALL_CPPFLAGS := $(CLI_CPPFLAGS)
$(BUILD)/obj/server/%.o: ALL_CPPFLAGS := $(SERVER_CPPFLAGS)
# The unit tests and fuzz targets of the server include its headers too.
$(BUILD)/obj/tests/unit/%.o $(BUILD)/obj/fuzz/%.o: ALL_CPPFLAGS += -Iserver $(SERVER_DEP_CFLAGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(CFLAGS_EXTRA) -MMD -MP -c $< -o $@

$(STATIC_LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(SHARED_LIB): $(LIB_OBJ) $(VERSION_SCRIPT)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--version-script,$(VERSION_SCRIPT) \
		-o $@ $(LIB_OBJ) $(DEP_LIBS)

$(SHARED_LINKS): $(SHARED_LIB)
	ln -sf $(notdir $<) $@

$(SERVER_LIB): $(SERVER_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(CLI): $(CLI_OBJ) $(SERVER_LIB) $(STATIC_LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(SERVER_LIB) $(STATIC_LIB) $(SERVER_DEP_LIBS) $(DEP_LIBS)

# Test programs, replay drivers and benchmarks are linked from objects too, so that they depend on
# the headers they include (a fuzz target may read the library's private headers).
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(SERVER_LIB) $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(SERVER_LIB) $(STATIC_LIB) $(SERVER_DEP_LIBS) $(DEP_LIBS)

$(BUILD)/fuzz/replay-%: $(BUILD)/obj/fuzz/fuzz_%.o $(BUILD)/obj/fuzz/replay.o $(SERVER_LIB) $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(SERVER_LIB) $(STATIC_LIB) $(SERVER_DEP_LIBS) $(DEP_LIBS)

# The objects of test programs are kept (make would delete them as intermediate).
.SECONDARY: $(patsubst %.c,$(BUILD)/obj/%.o,$(UNIT_SRC) $(FUZZ_SRC) fuzz/replay.c bench/report_bench.c bench/score_bench.c bench/http_load.c bench/province_load.c)

# libFuzzer binaries with ASan+UBSan (clang), one per fuzz/fuzz_NAME.c, rebuilt when it, the library
# or a header changes, into FUZZ_BUILD; run one with: build-fuzz/fuzz-NAME tests/fuzz/NAME (see
# docs/security.md)
FUZZ_BUILD ?= build-fuzz
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="$(FUZZ_FLAGS)" LDFLAGS="-fsanitize=address,undefined" \
		$(patsubst %,$(FUZZ_BUILD)/fuzz-%,$(FUZZ_NAMES))
	@echo "run e.g.: $(FUZZ_BUILD)/fuzz-sheet -max_total_time=60 tests/fuzz/sheet (see docs/security.md)"

$(BUILD)/fuzz-%: $(BUILD)/obj/fuzz/fuzz_%.o $(SERVER_LIB) $(STATIC_LIB)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(SERVER_LIB) $(STATIC_LIB) \
		$(SERVER_DEP_LIBS) $(DEP_LIBS)

check: all $(UNIT_BIN) $(REPLAY_BIN) $(BUILD)/digilevel.pot
	@BUILD=$(BUILD) sh tests/run.sh

ASAN_BUILD ?= build-asan
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# tests/lsan.supp: a leak inside libxlsxwriter 1.1.4 (docs/security.md)
asan:
	LSAN_OPTIONS="suppressions=$(CURDIR)/tests/lsan.supp print_suppressions=0 $(LSAN_OPTIONS)" \
		$(MAKE) BUILD=$(ASAN_BUILD) CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" check

# ThreadSanitizer on the threaded paths: one questionnaire shared by threads (test_threads), the
# credit-code pattern compiled once by racing threads (test_fields), the batch worker pool with
# -j 4 (test_batch_reports, and the batch and cohort cases), the store under 8 threads (test_store), the db layer's pool and writers on both engines (test_db, test_db_pg), the dashboards a server keeps and shares between racing requests (test_views), in TSAN_BUILD. A race stops the program
# (exit 66), which fails its test.
TSAN_BUILD ?= build-tsan
TSAN_FLAGS := -O1 -g -fsanitize=thread
TSAN_TESTS := unit/test_threads unit/test_fields unit/test_views unit/test_batch_reports unit/test_batch_api unit/test_batch_archive unit/test_store unit/test_store_district unit/test_access unit/test_db unit/test_db_pg unit/test_logins case/batch-* case/cohort-*
tsan:
	$(MAKE) BUILD=$(TSAN_BUILD) CFLAGS="$(TSAN_FLAGS)" LDFLAGS="-fsanitize=thread" all \
		$(patsubst unit/%,$(TSAN_BUILD)/tests/%,$(filter unit/%,$(TSAN_TESTS)))
	@BUILD=$(TSAN_BUILD) TSAN_OPTIONS="halt_on_error=1 exitcode=66 $(TSAN_OPTIONS)" \
		DL_TEST_ONLY="$(TSAN_TESTS)" sh tests/run.sh

leakcheck: all $(UNIT_BIN) $(REPLAY_BIN) $(BUILD)/digilevel.pot
	@BUILD=$(BUILD) DL_TEST_WRAPPER="valgrind -q --error-exitcode=99 --suppressions=$(CURDIR)/tests/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect" sh tests/run.sh

demo: all
	@sh scripts/demo.sh $(BUILD)

# Benchmarks (not tests; figures in docs/performance.md and docs/reports.md): bench/report_bench.c
# times rendering the two PDF reports in-process, then bench/run.sh measures scoring throughput
# against xmllint, peak memory and a whole cohort's PDFs, bench/http.sh loads `digilevel serve`
# on loopback with bench/http_load.c, and bench/district.sh loads it in district mode with every
# role at once (BENCH_QUICK=1 for short runs); bench/province.sh loads a province of 10,000
# enterprises into a throwaway PostgreSQL cluster with bench/province_load.c and measures servers on
# it (`make bench-province`: the whole province, 100,000 enterprises, about 25 minutes on 2 cores).
.PHONY: bench-report bench-score bench-province
bench: all bench-report $(BUILD)/bench/http_load $(BUILD)/bench/province_load
	sh bench/run.sh $(BUILD)
	sh bench/http.sh $(BUILD)
	sh bench/district.sh $(BUILD)
	sh bench/province.sh $(BUILD)
bench-province: all $(BUILD)/bench/http_load $(BUILD)/bench/province_load
	BENCH_PROVINCE_ENTERPRISES=100000 sh bench/province.sh $(BUILD)
$(BUILD)/obj/bench/province_load.o: ALL_CPPFLAGS += -Iserver $(SERVER_DEP_CFLAGS)
$(BUILD)/bench/province_load: $(BUILD)/obj/bench/province_load.o $(SERVER_LIB) $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(SERVER_LIB) $(STATIC_LIB) $(SERVER_DEP_LIBS) $(DEP_LIBS)
bench-report: $(BUILD)/bench/report_bench
	$(BUILD)/bench/report_bench
$(BUILD)/bench/report_bench: $(BUILD)/obj/bench/report_bench.o $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)
# the engine's part of POST /api/score in process (docs/performance.md, "Scoring in memory")
bench-score: $(BUILD)/bench/score_bench
	$(BUILD)/bench/score_bench
$(BUILD)/bench/score_bench: $(BUILD)/obj/bench/score_bench.o $(STATIC_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(STATIC_LIB) $(DEP_LIBS)
# the load client needs no library; tests/scripts/http_load.sh and district_load.sh run it in
# `make check` and `make leakcheck` (and the depends test expects it built)
$(BUILD)/bench/http_load: $(BUILD)/obj/bench/http_load.o
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< -lpthread -lm
check leakcheck: $(BUILD)/bench/http_load

# Every path below DESTDIR (staging); the program and the .pc file name them without it.
install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/digilevel $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(DATADIR)/questionnaires \
		$(DESTDIR)$(DATADIR)/policies $(DESTDIR)$(DATADIR)/examples $(DESTDIR)$(DOCDIR)/docs \
		$(DESTDIR)$(MANDIR)/man1
	install -m 644 $(STATIC_LIB) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SHARED_LIB)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libdigilevel.so
	install -m 644 include/digilevel.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/digilevel/*.h $(DESTDIR)$(INCLUDEDIR)/digilevel/
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/
	install -d $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES
	install -m 644 $(CATALOGUE) $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/
	install -m 644 questionnaires/*.xml questionnaires/*.xsd questionnaires/README.md \
		$(DESTDIR)$(DATADIR)/questionnaires/
	install -m 644 policies/*.xml policies/*.xsd policies/README.md $(DESTDIR)$(DATADIR)/policies/
	install -m 644 examples/*.xml examples/README.md $(DESTDIR)$(DATADIR)/examples/
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	sed -e 's|PREFIX/share|$(PREFIX)/share|g' -e 's|@VERSION@|$(VERSION)|g' docs/digilevel.1 \
		> $(DESTDIR)$(MANDIR)/man1/digilevel.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/digilevel.1
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
		-e 's|@VERSION@|$(VERSION)|g' digilevel.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/digilevel.pc

lint:
	@sh scripts/lint.sh

# Removes BUILD (whatever it is set to), the sanitizer and fuzzer builds and the demo's out/.
clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD) out

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
