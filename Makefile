# The front door. 'make help' lists the targets; scripts/ does the work.
SHELL := /bin/bash
.DEFAULT_GOAL := help
S := scripts

# Targets share build/, so they run one after the other, also under -j.
.NOTPARALLEL:
# Who this run is: scripts/lib.sh lets one run at a time use build/, and
# every recipe of this make (and what they start) belongs to this run.
export RUN_PID := $(shell echo $$PPID)
export RUN_WHAT := make $(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))

.PHONY: help demo deps base tree sync export kernel base-kernel stock-kernel debug-kernel selftests test test-debug vmm-test review bench lint check fixes fixes-tree export-fixes docs repin

help:
	@echo 'make demo         a small VMM raises an SError, migrates it, and the guest takes it'
	@echo '                  (inside the series kernel under QEMU, with and without FEAT_RAS)'
	@echo 'make check        everything the project verifies (what CI runs)'
	@echo 'make test         build the series kernel and selftests, run them on the QEMU matrix'
	@echo '                  (KERNEL=build/base/Image runs the same against the base)'
	@echo 'make test-debug   the same on a debug kernel (KASAN, UBSAN, lockdep, atomic-sleep checks)'
	@echo 'make vmm-test     a real VMM (Debian arm64 QEMU) migrates a KVM guest on the series and base kernels'
	@echo 'make review       per-patch gates: checkpatch, build, sparse, W=1, htmldocs'
	@echo 'make fixes        the stable fixes in fixes/ on the stock tree: gates, both kernels on'
	@echo '                  the matrix, and the cases that fail on stock and pass with each fix'
	@echo 'make bench        cost of the series next to upstream'"'"'s and the base, in guest instructions'
	@echo 'make tree         build/linux = base + patches/*.patch (FORCE=1 drops unexported work)'
	@echo 'make export       build/linux base..HEAD -> patches/ (SIGNOFF="Name <mail>": a copy to mail)'
	@echo 'make fixes-tree   build/fixes-linux = stock + fixes/*.patch'
	@echo 'make export-fixes build/fixes-linux stock..HEAD -> fixes/'
	@echo 'make kernel       build/Image, build/vmlinux from build/linux'
	@echo 'make base-kernel  build/base/Image, build/base/vmlinux from the base'
	@echo 'make stock-kernel build/stock/Image from the stock tree (upstream'"'"'s implementation)'
	@echo 'make debug-kernel build/debug/Image: build/linux with config/debug.config'
	@echo 'make selftests    cross-build the KVM selftests of build/linux'
	@echo 'make docs         copy the last clean runs'"'"' reports (build/reports/) into README.md and docs/'
	@echo 'make repin VERSION=...  pin another linux-source-6.12 version, once both series apply to it'
	@echo 'make deps         install the Debian packages the project needs'
	@echo 'make lint         shellcheck the pipeline; check its judge, report and cover letter code on crafted input'

deps:
	@bash $(S)/deps.sh

base: deps
	@bash $(S)/base.sh

tree: deps
	@bash $(S)/tree.sh

# What the build targets start from: build/linux as patches/ say, unless it
# holds unexported work (then that, with a warning). Run once per make.
sync: deps
	@bash $(S)/tree.sh --keep-work

export:
	@bash $(S)/export.sh

# make review's last kernel build, when it is of the same source, is reused.
kernel: sync
	@REUSE=build/review bash $(S)/kernel.sh build/linux build series

base-kernel: base
	@bash $(S)/base-kernel.sh

stock-kernel: base
	@bash $(S)/base-kernel.sh stock

debug-kernel: sync
	@bash $(S)/kernel.sh build/linux build/debug debug debug

selftests: sync
	@bash $(S)/selftests.sh build/linux build/selftests

# With KERNEL= given, only the selftests are built and that kernel is booted.
test: selftests $(if $(KERNEL),,kernel)
	@KERNEL=$(KERNEL) bash $(S)/test.sh

# Debug checks slow everything down: every time bound is four times longer.
test-debug: selftests debug-kernel
	@KERNEL=build/debug/Image TIMEOUT_SCALE=4 bash $(S)/test.sh

# Debian's own QEMU, a VMM nobody here wrote, on both kernels.
vmm-test: kernel base-kernel
	@bash $(S)/vmm-test.sh

review: sync
	@bash $(S)/review.sh

# The stable fixes: fixes/ on the stock tree, in build/fixes-linux.
fixes: deps
	@bash $(S)/fixes.sh

fixes-tree: deps
	@SERIES=fixes bash $(S)/tree.sh

export-fixes:
	@SERIES=fixes bash $(S)/export.sh

bench: selftests kernel base-kernel stock-kernel
	@bash $(S)/bench.sh

demo: selftests kernel
	@bash $(S)/demo.sh

lint: deps
	@shellcheck -x $(S)/*.sh .ci/run && shellcheck -s sh $(S)/guest-init tests/vmm/qemu_migration && echo '==> shellcheck: clean'
	@bash $(S)/check-results.sh
	@bash $(S)/check-tested.sh
	@bash $(S)/check-cover.sh

# What the last clean runs measured, into the committed documents.
docs:
	@bash $(S)/docs.sh

repin: deps
	@bash $(S)/repin.sh $(VERSION)

check: lint review test test-debug fixes demo vmm-test bench
	@echo '==> make check: all gates passed'
