# Builds the static programs that run inside the lab kernel (L1): the
# workload, the lab tests, and the tools.  Guest code and tests are built on
# the KVM selftests library of the same kernel source (kept there, not here).
#
#   make -f lab/l1-programs.mk KTREE=... KHDR=... OUT=...

TOP      := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
KTREE    ?= $(TOP)/build/kernel/src
KHDR     ?= $(TOP)/build/kernel/usr/include
OUT      ?= $(TOP)/build/l1
ST       := $(KTREE)/tools/testing/selftests/kvm
CC       ?= gcc

# The selftests library, built with the flags of its own Makefile (minus
# -march=x86-64-v2, so that it also runs on QEMU's plain qemu64 CPU).
ST_INC   := -isystem $(KTREE)/tools/include -isystem $(KTREE)/tools/arch/x86/include \
	    -isystem $(KHDR) -isystem $(ST)/include -isystem $(ST)/include/x86_64 \
	    -isystem $(ST)/lib -isystem $(KTREE)/tools/testing/selftests
ST_CFLAGS := -O2 -g -std=gnu99 -D_GNU_SOURCE -DCONFIG_64BIT -U_FORTIFY_SOURCE \
	     -fno-builtin-memcmp -fno-builtin-memcpy -fno-builtin-memset \
	     -fno-builtin-strnlen -fno-stack-protector -fno-PIE -fno-strict-aliasing \
	     -w $(ST_INC)
ST_LIB   := assert elf guest_modes io kvm_util memstress guest_sprintf rbtree \
	    sparsebit test_util ucall_common userfaultfd_util \
	    x86_64/apic x86_64/hyperv x86_64/memstress x86_64/pmu x86_64/processor \
	    x86_64/sev x86_64/svm x86_64/ucall x86_64/vmx
ST_OBJS  := $(patsubst %,$(OUT)/selftests/%.o,$(ST_LIB)) \
	    $(OUT)/selftests/x86_64/handlers.o $(OUT)/selftests/string_override.o

# Our code: C11 with GNU extensions (inline asm), warnings are errors.
CFLAGS   := -O2 -g -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	    -Wno-unused-parameter -fno-stack-protector -fno-PIE \
	    -I$(TOP)/lib -I$(TOP)/reasons -I$(TOP)/lab/workload -I$(TOP)/tests/lab/lib \
	    $(ST_INC)
LDFLAGS  := -static -no-pie -pthread

KES_LIB  := $(OUT)/kes/exit_reasons.o $(OUT)/kes/textfile.o $(OUT)/kes/statsfile.o \
	    $(OUT)/kes/histfile.o
WL_OBJS  := $(OUT)/kes/workload.o
TEST_LIB := $(patsubst $(TOP)/tests/lab/lib/%.c,$(OUT)/kes/%.o,$(wildcard $(TOP)/tests/lab/lib/*.c))
TESTS    := $(patsubst $(TOP)/tests/lab/%.c,%,$(wildcard $(TOP)/tests/lab/*_test.c))
PROGS    := $(addprefix $(OUT)/bin/,kvm-workload kvm-hammer vm-boot kvm-exitstat-guest kvm-exitstat $(TESTS))
SCRIPTS  := $(patsubst $(TOP)/tests/lab/%,$(OUT)/bin/%,$(wildcard $(TOP)/tests/lab/*_test.sh))

all: $(PROGS) $(SCRIPTS)

$(OUT)/bin/%_test.sh: $(TOP)/tests/lab/%_test.sh
	@mkdir -p $(dir $@)
	install -m 755 $< $@

$(OUT)/selftests/%.o: $(ST)/lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ST_CFLAGS) -c $< -o $@
# kvm_util.c as lab/l1-kvm-util-6.1.sed adapts it: it also runs on Debian
# 12's 6.1, which has no KVM_SET_USER_MEMORY_REGION2.
$(OUT)/selftests/kvm_util.c: $(ST)/lib/kvm_util.c $(TOP)/lab/l1-kvm-util-6.1.sed
	@mkdir -p $(dir $@)
	sed -f $(TOP)/lab/l1-kvm-util-6.1.sed $< > $@
$(OUT)/selftests/kvm_util.o: $(OUT)/selftests/kvm_util.c
	$(CC) $(ST_CFLAGS) -iquote $(ST)/lib -c $< -o $@
$(OUT)/selftests/string_override.o: $(ST)/lib/string_override.c
	@mkdir -p $(dir $@)
	$(CC) $(ST_CFLAGS) -ffreestanding -c $< -o $@
$(OUT)/selftests/%.o: $(ST)/lib/%.S
	@mkdir -p $(dir $@)
	$(CC) $(ST_CFLAGS) -c $< -o $@

$(OUT)/kes/%.o: $(TOP)/lib/%.c $(wildcard $(TOP)/lib/*.h) $(TOP)/reasons/exit_stats_reasons.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(OUT)/kes/%.o: $(TOP)/lab/workload/%.c $(TOP)/lab/workload/workload.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(OUT)/kes/%.o: $(TOP)/tests/lab/lib/%.c $(wildcard $(TOP)/tests/lab/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(OUT)/bin/kvm-workload $(OUT)/bin/kvm-hammer: $(OUT)/bin/%: $(TOP)/lab/workload/%.c $(WL_OBJS) $(ST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ $(LDFLAGS) -o $@
$(OUT)/bin/vm-boot: $(TOP)/lab/demo/vm-boot.c $(KES_LIB)
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -std=gnu11 -Wall -Wextra -Werror -I$(TOP)/lib -I$(TOP)/reasons $^ -static -o $@
# The tools, static, by their own Makefiles.
$(OUT)/bin/kvm-exitstat-guest: FORCE
	@$(MAKE) -s -C $(TOP)/kvm-exitstat-guest OUT=$(OUT)/bin WERROR=1
$(OUT)/bin/kvm-exitstat: FORCE
	@$(MAKE) -s -C $(TOP)/kvm-exitstat OUT=$(OUT)/bin LDFLAGS=-static WERROR=1

$(OUT)/bin/%_test: $(TOP)/tests/lab/%_test.c $(TEST_LIB) $(WL_OBJS) $(KES_LIB) $(ST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ $(LDFLAGS) -o $@

.PHONY: all FORCE
