# dotext: PGXS build.
EXTENSION = dotext
EXTVERSION = 0.2.0

MODULE_big = dotext
CORE_SRCS = $(wildcard src/core/*.c)
OBJS = $(patsubst %.c,%.o,$(wildcard src/*.c) $(CORE_SRCS))

DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql
DATA = $(wildcard sql/$(EXTENSION)--*--*.sql) sql/$(EXTENSION)--0.1.0.sql

# pg_regress inputs are sql/*.sql minus the install scripts; each runs on
# its own (make installcheck REGRESS=dot), reading test/regress/err.psql
REGRESS = $(sort $(filter-out $(EXTENSION)--% $(EXTENSION),$(basename $(notdir $(wildcard sql/*.sql)))))
REGRESS_OPTS = --load-extension=$(EXTENSION)
EXTRA_CLEAN = $(DATA_built) test/unit/build

# No -march=native: the kernels pick their SIMD code at run time.
PG_CFLAGS = -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers -Wno-declaration-after-statement -fno-fast-math \
	-Werror=implicit-function-declaration
PG_CPPFLAGS = -Isrc -Isrc/core -Icuda
# WERROR=1 (CI, test/run_tests.sh): a warning fails the build, under
# PGXS's own CFLAGS plus ours; also for the unit tests, the fuzz targets
# and the GPU library.  Not for clang's bitcode (.bc), which PGXS compiles
# without PG_CFLAGS.
ifeq ($(WERROR),1)
PG_CFLAGS += -Werror
endif

PKG_CONFIG ?= pkg-config
# OpenBLAS is opened at run time by src/core/blas.c, in a backend, on first
# use; the build only needs to know where the library lives.
OPENBLAS_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir openblas 2>/dev/null)
ifneq ($(OPENBLAS_LIBDIR),)
PG_CPPFLAGS += -DDOTEXT_OPENBLAS_PATH='"$(OPENBLAS_LIBDIR)/libopenblas.so.0"'
endif
SHLIB_LINK = -ldl -lm


PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS knows no header dependencies: a changed struct must rebuild every
# object (after the include, so that the default goal stays PGXS's "all")
$(OBJS): $(wildcard src/*.h src/core/*.h cuda/*.h)

sql/$(EXTENSION)--$(EXTVERSION).sql: sql/$(EXTENSION).sql
	cp $< $@

# C unit tests of the plain-C core (no server needed)
.PHONY: unittest
unittest:
	$(MAKE) -C test/unit run CORE_SRCS="$(abspath $(CORE_SRCS))" WERROR=$(WERROR)

# The GPU library, built when nvcc is found; `make NVCC=` skips it.  It is
# installed beside dotext.so as dotext_cuda.so; dotext.so never links it.
NVCC ?= $(firstword $(wildcard /usr/local/cuda/bin/nvcc) $(shell command -v nvcc 2>/dev/null))
ifneq ($(strip $(NVCC)),)
all: cuda/libdotext_cuda.so
cuda/libdotext_cuda.so: cuda/dotext_cuda.cu cuda/dotext_cuda.h src/core/kernels.h
	$(MAKE) -C cuda NVCC=$(NVCC) WERROR=$(WERROR)
install: install-cuda
install-cuda: cuda/libdotext_cuda.so
	$(INSTALL_SHLIB) cuda/libdotext_cuda.so '$(DESTDIR)$(pkglibdir)/dotext_cuda.so'
.PHONY: install-cuda
endif
EXTRA_CLEAN += cuda/libdotext_cuda.so
