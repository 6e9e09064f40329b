# dyad: plain non-recursive GNU Makefile. `make help` lists the targets.
# Libraries come from Debian's -dev packages via pkg-config.

CC       ?= cc
PKGS     := sqlite3 zlib libmicrohttpd jansson libpq
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lsqlite3 -lz -lmicrohttpd -ljansson -lpq)
# libmodest-dev (the myhtml HTML5 parser) ships no pkg-config file
HTML_LIBS  := -lmodest
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wwrite-strings -Wformat=2
OPT      ?= -O2 -g
DATA_DIR ?= $(CURDIR)/data
WEB_DIR  ?= $(CURDIR)/web/public
CPPFLAGS += -Iinclude -Isrc/lib -DDY_DATA_DIR='"$(DATA_DIR)"' -DDY_WEB_DIR='"$(WEB_DIR)"'
CFLAGS   += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) $(HTML_LIBS) -lpthread -lm
ifdef WERROR
CFLAGS   += -Werror
endif

# B = build directory (plain: build, sanitizers: build-asan)
B        ?= build
ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_SRC  := $(sort $(wildcard src/lib/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
SERVE_SRC := $(sort $(wildcard src/serve/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
FUZZ_SRC := $(filter-out tests/fuzz/fuzz_main.c,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
SERVE_OBJ := $(SERVE_SRC:%.c=$(B)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(B)/%.o)
DEPS     := $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(SERVE_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

.PHONY: all help setup demo test test-pg check unit cases asan asan-build valgrind \
        bench bench-web fuzz fuzz-build lint format check-format clean train

.DEFAULT_GOAL := all

# The city gazetteer is generated from Debian's libgeonames0 and iso-codes
# (tools/gazgen.c, the only program linking libgeonames) and never committed.
# Without libgeonames-dev dyad falls back to tzdata's zone cities.
ISO3166_2 ?= /usr/share/iso-codes/json/iso_3166-2.json
GAZ_PKGS  := geonames jansson
ifeq ($(shell pkg-config --exists $(GAZ_PKGS) && test -r $(ISO3166_2) && echo yes),yes)
GAZETTEER := data/gazetteer.tsv
$(B)/gazgen: tools/gazgen.c
	@mkdir -p $(B)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -std=c11 -O1 -Wall -Wextra -o $@ $< $$(pkg-config --cflags --libs $(GAZ_PKGS)) -lm
data/gazetteer.tsv: $(B)/gazgen
	@$(if $(Q),echo "  GEN     $@")
	$(Q)$(B)/gazgen $(ISO3166_2) > $@.tmp && mv $@.tmp $@
endif

all: $(B)/dyad $(B)/dyad-tests $(B)/fuzz-replay $(B)/dyad-bench $(GAZETTEER)
	$(Q)ln -sf $(B)/dyad dyad


help:
	@echo "targets: all demo test test-pg check asan valgrind bench fuzz lint format check-format clean train"

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/libdyad.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/dyad: $(CLI_OBJ) $(SERVE_OBJ) $(B)/libdyad.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/dyad-tests: $(TEST_OBJ) $(B)/libdyad.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# in-process stage timer and corpus generator for `make bench`
$(B)/dyad-bench: bench/stages.c $(B)/libdyad.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libdyad.a $(LDLIBS)

# gcc replay of the committed fuzz corpora: each fuzz target + fuzz_main.c
$(B)/fuzz-replay: $(FUZZ_SRC) tests/fuzz/fuzz_main.c tests/fuzz/fuzz_reader.h $(B)/libdyad.a
	@mkdir -p $(B)/fuzz
	$(Q)for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  $(CC) $(CPPFLAGS) $(CFLAGS) -o $(B)/fuzz/$$n $$f tests/fuzz/fuzz_main.c $(B)/libdyad.a $(LDLIBS) || exit 1; done
	$(Q)touch $@

-include $(DEPS)

setup:
	$(Q)scripts/setup

# The main job on the bundled defaults: ingest the demo corpus, summarise.
demo: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)rm -f dyad.db dyad.db-wal dyad.db-shm
	./dyad ingest --db dyad.db data/demo/*.txt
	./dyad stats --db dyad.db

# Everything: plain build and ASan/UBSan build, unit + golden + fuzz replay
# + web; the PostgreSQL pass once, for the plain build (DYAD_TEST_PG=0
# leaves it out).
test: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory asan-build
	$(Q)tests/run-all.sh build build-asan

check: all
	$(Q)tests/run-all.sh build

# Only the PostgreSQL pass (make test runs it once, for the plain build):
# the store cases and the web tests against a throw-away PostgreSQL.
test-pg: all
	$(Q)tests/run-pg.sh $(B)

asan-build:
	$(Q)$(MAKE) --no-print-directory B=build-asan CC=gcc \
	  OPT="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	  build-asan/dyad build-asan/dyad-tests build-asan/fuzz-replay

asan: asan-build
	$(Q)tests/run-all.sh build-asan

valgrind: all
	$(Q)VALGRIND="valgrind -q --error-exitcode=1 --leak-check=full" tests/run-all.sh build

bench: all
	$(Q)bench/run.sh
	$(Q)B=$(B) bench/web.sh

# only the web part of the bench (wrk against dyad serve)
bench-web: all
	$(Q)B=$(B) bench/web.sh

# Retrains the tagger/parser model (docs/PARSER.md) from a CoNLL-U treebank.
CONLLU    ?= ../shared/ud-ewt/en_ewt-ud-train.conllu
DEV       ?= ../shared/ud-ewt/en_ewt-ud-dev.conllu
MODEL     ?= data/dyad-ewt.model
TRAIN_OPTS ?=
train: $(B)/dyad
	$(B)/dyad train --out $(MODEL) $(if $(wildcard $(DEV)),--dev $(DEV)) \
	  $(TRAIN_OPTS) $(CONLLU)

# libFuzzer targets (clang); FUZZ_SECONDS per target, FUZZ_TARGETS to pick
# some (names without .c, e.g. "fuzz_http fuzz_pxml"). The library is
# compiled once with fuzzer instrumentation into build-fuzz/libdyad-fuzz.a.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= $(notdir $(FUZZ_SRC:.c=))
FUZZ_CFLAGS  := $(CPPFLAGS) $(PKG_CFLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L \
                -D_DEFAULT_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined
FUZZ_OBJ     := $(LIB_SRC:src/lib/%.c=build-fuzz/obj/%.o)
build-fuzz/obj/%.o: src/lib/%.c
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<
build-fuzz/libdyad-fuzz.a: $(FUZZ_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^
fuzz-build: build-fuzz/libdyad-fuzz.a
	$(Q)for n in $(FUZZ_TARGETS); do \
	  clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o build-fuzz/$$n tests/fuzz/$$n.c \
	    build-fuzz/libdyad-fuzz.a $(LDLIBS) || exit 1; done

fuzz: fuzz-build
	$(Q)for n in $(FUZZ_TARGETS); do mkdir -p tests/fuzz/corpus/$$n build-fuzz/new-$$n; \
	  echo "fuzz $$n ($(FUZZ_SECONDS)s)"; \
	  build-fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -artifact_prefix=build-fuzz/ build-fuzz/new-$$n tests/fuzz/corpus/$$n || exit 1; done

-include $(FUZZ_OBJ:.o=.d)

lint:
	$(Q)scripts/lint

format:
	$(Q)clang-format -i $(LIB_SRC) $(CLI_SRC) $(SERVE_SRC) $(TEST_SRC) include/dyad/*.h src/lib/*.h

check-format:
	$(Q)clang-format --dry-run -Werror $(LIB_SRC) $(CLI_SRC) $(SERVE_SRC) include/dyad/*.h

clean:
	rm -rf build build-asan build-fuzz dyad
