# The front door. 'make help' lists the targets; scripts/ does the work,
# config/ holds the trees (config/trees, config/sources) and the QEMU
# configurations (config/qemu) as tables.
SHELL := /bin/bash
.DEFAULT_GOAL := help
S := scripts

# Targets share build/, so they run one after the other, also under -j.
.NOTPARALLEL:
# Who this run is: scripts/lib.sh lets one run at a time use build/, and
# every recipe of this make (and what they start) belongs to this run.
export RUN_PID := $(shell echo $$PPID)
export RUN_WHAT := make $(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))

# The tree a target works on (config/trees), and the kernel it boots.
TREE ?= series
KERNEL ?= $(TREE)
# The series of fixes, each proven against its stock tree (make fixes,
# make mainline).
PROOFS := fixes mainline

.PHONY: help demo deps source tree export kernel selftests test test-debug vmm-test review bench lint check docs repin $(PROOFS)

help:
	@echo 'make demo         a small VMM raises an SError, migrates it, and the guest takes it'
	@echo '                  (inside the series kernel under QEMU, with and without FEAT_RAS)'
	@echo 'make check        everything the project verifies (what CI runs)'
	@echo 'make test         build the series kernel and selftests, run them on the QEMU matrix'
	@echo '                  (KERNEL=base boots the base; TREE=mainline the fixed 7.3 tree)'
	@echo 'make test-debug   the same on a debug kernel (KASAN, UBSAN, lockdep, atomic-sleep checks)'
	@echo 'make review       per-patch gates on TREE (default series): checkpatch, build, sparse, W=1, htmldocs'
	@echo 'make fixes        fixes/ on stock 6.12: gates, both kernels on the matrix, and the'
	@echo '                  results that fail on stock and pass with each fix'
	@echo 'make mainline     the same for mainline/ on Debian'"'"'s 7.3'
	@echo 'make vmm-test     a real VMM (Debian arm64 QEMU) migrates a KVM guest on the series and base kernels'
	@echo 'make bench        cost of the series next to upstream'"'"'s and the base, in guest instructions'
	@echo 'make tree         build/TREE-linux = its base + its patch folder (FORCE=1 drops unexported work)'
	@echo 'make export       build/TREE-linux back into its patch folder (SIGNOFF="Name <mail>": a copy to mail)'
	@echo 'make kernel       build/KERNEL/Image (a tree, its stock kernel, or TREE-debug)'
	@echo 'make selftests    cross-build the KVM selftests of TREE'
	@echo 'make docs         copy the last clean runs'"'"' results (build/results/) into README.md and docs/'
	@echo 'make repin PACKAGE=... VERSION=...  pin another version of a source package of config/sources'
	@echo 'make source       fetch and import every source package of config/sources'
	@echo 'make deps         install the Debian packages the project needs'
	@echo 'make lint         shellcheck the pipeline; the harness'"'"'s own tests (tests/harness/)'

deps:
	@bash $(S)/deps.sh

source: deps
	@for p in $$(awk '!/^#/ && NF { print $$1 }' config/sources); do bash $(S)/source.sh $$p || exit; done

tree: deps
	@bash $(S)/tree.sh $(TREE)

export:
	@bash $(S)/export.sh $(TREE)

kernel: deps
	@bash $(S)/kernel.sh $(KERNEL)

selftests: deps
	@bash $(S)/selftests.sh $(TREE)

# KERNEL= a kernel's name (see make kernel) or an Image's path; with a
# path only the selftests are built. The kernel's tree says which. A
# kernel make review built from the same source is copied, not rebuilt.
test: deps
	@$(if $(findstring /,$(KERNEL)),,bash $(S)/kernel.sh $(KERNEL) --reuse build/review-$(KERNEL) &&) bash $(S)/test.sh $(KERNEL)

# Debug checks slow everything down: every time bound is four times longer,
# and only the programs that exercise what the series changes run (those
# flagged "core" in tests/*.list).
test-debug: deps
	@bash $(S)/kernel.sh $(TREE)-debug && TIMEOUT_SCALE=4 PROGRAMS=core bash $(S)/test.sh $(TREE)-debug

review: deps
	@bash $(S)/tree.sh $(TREE) --keep-work && bash $(S)/review.sh $(TREE)

$(PROOFS): deps
	@bash $(S)/proof.sh $@

# Debian's own QEMU, a VMM nobody here wrote, on the series and the base.
vmm-test: deps
	@bash $(S)/kernel.sh series && bash $(S)/kernel.sh base && bash $(S)/vmm-test.sh

bench: deps
	@bash $(S)/selftests.sh series && for k in series base stock; do bash $(S)/kernel.sh $$k || exit; done; bash $(S)/bench.sh

demo: deps
	@bash $(S)/selftests.sh series && bash $(S)/kernel.sh series && bash $(S)/demo.sh

lint: source
	@shellcheck -x $(S)/*.sh tests/harness/run.sh .ci/run && shellcheck -s sh guest/init tests/vmm/qemu_migration && echo '==> shellcheck: clean'
	@bash tests/harness/run.sh

# What the last clean runs measured, into the committed documents.
docs:
	@bash $(S)/docs.sh

repin: deps
	@bash $(S)/repin.sh $(PACKAGE) $(VERSION)

# What make check reports, it booted: no console of an earlier boot is
# replayed (test.sh).
check: export REBOOT := 1
check: lint review test test-debug fixes mainline demo vmm-test bench
	@echo '==> make check: all gates passed'
