// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_events_bench: what KVM_GET_VCPU_EVENTS and KVM_SET_VCPU_EVENTS cost
 * on arm64, next to a floor (an ioctl the vcpu does not know: the same
 * dispatch path with no work), KVM_GET_ONE_REG for scale, and one vcpu
 * round trip (guest MMIO write -> exit to user space -> KVM_RUN again).
 *
 * Meant to run in a QEMU guest started with "-icount shift=0": guest time
 * then advances by one nanosecond per instruction, so CLOCK_MONOTONIC
 * deltas count instructions and the figures repeat exactly.
 *
 * Output, one line per row: "<row> <instructions per op>" or "<row> n/a".
 * Usage: vcpu_events_bench [calls per row, default 20000]
 * Only the installed uapi headers are used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#define GUEST_BASE	0x80000000UL
#define GUEST_SIZE	0x10000UL
#define MMIO_ADDR	0x10000000UL
#define UNKNOWN_IOCTL	_IO(KVMIO, 0xff)

/* struct user_pt_regs field offsets, as KVM_REG_ARM_CORE ids. */
#define CORE_REG(off)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | ((off) / 4))
#define REG_X1		CORE_REG(offsetof(struct kvm_regs, regs.regs[1]))
#define REG_PC		CORE_REG(offsetof(struct kvm_regs, regs.pc))

static int kvm_fd, vcpu_fd;
static struct kvm_run *run;

static void die(const char *what)
{
	fprintf(stderr, "vcpu_events_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void setup(void)
{
	/* Guest: "1: str w0, [x1]; b 1b", an MMIO write forever. */
	static const uint32_t code[] = { 0xb9000020, 0x17ffffff };
	struct kvm_userspace_memory_region region;
	struct kvm_vcpu_init init;
	struct kvm_one_reg reg;
	int vm, size;
	uint64_t val;
	void *mem;

	kvm_fd = open("/dev/kvm", O_RDWR);
	if (kvm_fd < 0)
		die("/dev/kvm");
	vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	memcpy(mem, code, sizeof(code));
	region = (struct kvm_userspace_memory_region) {
		.guest_phys_addr = GUEST_BASE,
		.memory_size = GUEST_SIZE,
		.userspace_addr = (uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
		die("KVM_SET_USER_MEMORY_REGION");

	vcpu_fd = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu_fd < 0)
		die("KVM_CREATE_VCPU");
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init))
		die("KVM_ARM_PREFERRED_TARGET");
	if (ioctl(vcpu_fd, KVM_ARM_VCPU_INIT, &init))
		die("KVM_ARM_VCPU_INIT");
	size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");

	reg.addr = (uintptr_t)&val;
	val = GUEST_BASE;
	reg.id = REG_PC;
	if (ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg))
		die("KVM_SET_ONE_REG pc");
	val = MMIO_ADDR;
	reg.id = REG_X1;
	if (ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg))
		die("KVM_SET_ONE_REG x1");
}

/*
 * Each figure is the cheapest of BLOCKS timed blocks of calls: a block that
 * the timer tick lands in (every few million instructions) does not count.
 */
#define BLOCKS 10

/* Instructions per call of ioctl(vcpu, cmd, arg), or -1 if it fails. */
static long per_ioctl(unsigned long cmd, void *arg, long n, int expect_fail)
{
	long b, i, best = -1;
	uint64_t t0;

	if ((ioctl(vcpu_fd, cmd, arg) != 0) != expect_fail)
		return -1;
	for (b = 0; b < BLOCKS; b++) {
		t0 = now();
		for (i = 0; i < n / BLOCKS; i++)
			ioctl(vcpu_fd, cmd, arg);
		t0 = (now() - t0) / (n / BLOCKS);
		if (best < 0 || (long)t0 < best)
			best = t0;
	}
	return best;
}

static void run_to_mmio_exit(void)
{
	if (ioctl(vcpu_fd, KVM_RUN, 0))
		die("KVM_RUN");
	if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.phys_addr != MMIO_ADDR) {
		fprintf(stderr, "vcpu_events_bench: unexpected exit %u\n", run->exit_reason);
		exit(1);
	}
}

static long per_round_trip(long n)
{
	long b, i, best = -1;
	uint64_t t0;

	/* The first run faults the guest's code page in: time the others. */
	run_to_mmio_exit();
	for (b = 0; b < BLOCKS; b++) {
		t0 = now();
		for (i = 0; i < n / BLOCKS; i++)
			run_to_mmio_exit();
		t0 = (now() - t0) / (n / BLOCKS);
		if (best < 0 || (long)t0 < best)
			best = t0;
	}
	return best;
}

/* One figure on a line of the form the harness reads: "counts: NAME=N". */
static void row(const char *name, long v)
{
	if (v < 0)
		printf("counts: %s=n/a\n", name);
	else
		printf("counts: %s=%ld\n", name, v);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	uint64_t pc;
	struct kvm_one_reg reg = { .id = REG_PC, .addr = (uintptr_t)&pc };
#ifdef __KVM_HAVE_VCPU_EVENTS
	struct kvm_vcpu_events ev = { 0 };
	int has_events;
#endif

	setup();
	row("floor", per_ioctl(UNKNOWN_IOCTL, NULL, n, 1));
	row("get_one_reg_pc", per_ioctl(KVM_GET_ONE_REG, &reg, n, 0));
#ifdef __KVM_HAVE_VCPU_EVENTS
	has_events = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VCPU_EVENTS) > 0;
	row("get_vcpu_events", has_events ? per_ioctl(KVM_GET_VCPU_EVENTS, &ev, n, 0) : -1);
	memset(&ev, 0, sizeof(ev));
	row("set_vcpu_events_none", has_events ? per_ioctl(KVM_SET_VCPU_EVENTS, &ev, n, 0) : -1);
	ev.exception.serror_pending = 1;
	row("set_vcpu_events_pending", has_events ? per_ioctl(KVM_SET_VCPU_EVENTS, &ev, n, 0) : -1);
	ev.exception.serror_has_esr = 1;
	ev.exception.serror_esr = 0x11;
	row("set_vcpu_events_esr",
	    has_events && ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_INJECT_SERROR_ESR) > 0 ?
	    per_ioctl(KVM_SET_VCPU_EVENTS, &ev, n, 0) : -1);
#else
	row("get_vcpu_events", -1);
	row("set_vcpu_events_none", -1);
	row("set_vcpu_events_pending", -1);
	row("set_vcpu_events_esr", -1);
#endif
	row("mmio_round_trip", per_round_trip(n / 10));
#ifdef __KVM_HAVE_VCPU_EVENTS
	/*
	 * Last, as it leaves an abort pending: answering the MMIO access
	 * the vcpu has just exited on with an external data abort.
	 */
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	row("set_vcpu_events_ext_dabt",
	    has_events && ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_INJECT_EXT_DABT) > 0 ?
	    per_ioctl(KVM_SET_VCPU_EVENTS, &ev, n, 0) : -1);
#else
	row("set_vcpu_events_ext_dabt", -1);
#endif
	return 0;
}
