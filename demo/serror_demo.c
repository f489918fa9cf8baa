// SPDX-License-Identifier: GPL-2.0-only
/*
 * serror_demo: what KVM_GET_VCPU_EVENTS and KVM_SET_VCPU_EVENTS are for,
 * told by a small VMM that uses nothing but the installed uapi headers.
 *
 *  1. A one-vcpu VM runs a tiny guest (guest.S) that installs an SError
 *     handler and reports what it sees through an MMIO report device.
 *  2. A device emulated here raises an SError, with a chosen RAS syndrome
 *     when the host can express one. It reads the vcpu's events first: an
 *     SError already pending would have to be combined with the new one.
 *  3. The VM is "migrated" while the guest keeps SErrors masked: memory,
 *     every register of KVM_GET_REG_LIST and the vcpu's events are copied
 *     into a second VM, and the first one is closed.
 *  4. The destination guest unmasks SErrors and reports the ESR_EL1 it
 *     received, which is decoded next to what was injected.
 *
 * Exit status 0 when the destination guest took exactly one SError with the
 * injected syndrome (on a host without FEAT_RAS: exactly one SError), 1 on
 * any difference or error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "report.h"

#define GUEST_BASE	0x80000000UL
#define GUEST_SIZE	0x10000UL

#define CORE_REG(field)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, field) / sizeof(__u32)))

/* ESR_ELx fields, for decoding what the guest received. */
#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_IL(esr)	(((esr) >> 25) & 1)
#define ESR_ISS(esr)	((esr) & 0x1ffffff)
#define ESR_IDS(esr)	(((esr) >> 24) & 1)
#define ESR_AET(esr)	(((esr) >> 10) & 7)
#define ESR_EA(esr)	(((esr) >> 9) & 1)
#define ESR_DFSC(esr)	((esr) & 0x3f)
#define EC_SERROR	0x2f
#define ISR_EL1_A	(1UL << 8)

/* The syndrome the device chooses: a recoverable error (AET = UER),
 * reported as an asynchronous SError interrupt (DFSC = 0x11). */
#define DEMO_ESR	((3UL << 10) | 0x11)

extern const char guest_start[], guest_entry[], guest_end[];

struct vm {
	const char *name;
	int fd, vcpu;
	struct kvm_run *run;
	void *mem;
};

static int kvm;

static void fail(const char *what) __attribute__((noreturn));

static void fail(const char *what)
{
	printf("demo: FAILED: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void bad(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void bad(const char *fmt, ...)
{
	va_list ap;

	printf("demo: FAILED: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(1);
}

static void say(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(const char *who, const char *fmt, ...)
{
	va_list ap;

	printf("%-8s ", who);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static void vm_create(struct vm *vm, const char *name)
{
	struct kvm_vcpu_init init;
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = GUEST_BASE,
		.memory_size = GUEST_SIZE,
	};
	int size;

	vm->name = name;
	vm->fd = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		fail("KVM_CREATE_VM");
	vm->mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED)
		fail("mmap guest memory");
	region.userspace_addr = (uintptr_t)vm->mem;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region))
		fail("KVM_SET_USER_MEMORY_REGION");

	vm->vcpu = ioctl(vm->fd, KVM_CREATE_VCPU, 0);
	if (vm->vcpu < 0)
		fail("KVM_CREATE_VCPU");
	if (ioctl(vm->fd, KVM_ARM_PREFERRED_TARGET, &init) ||
	    ioctl(vm->vcpu, KVM_ARM_VCPU_INIT, &init))
		fail("KVM_ARM_VCPU_INIT");

	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < 0)
		fail("KVM_GET_VCPU_MMAP_SIZE");
	vm->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
	if (vm->run == MAP_FAILED)
		fail("mmap kvm_run");
}

static void vm_destroy(struct vm *vm)
{
	close(vm->vcpu);
	close(vm->fd);
	munmap(vm->mem, GUEST_SIZE);
}

static void set_reg(struct vm *vm, __u64 id, __u64 val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(vm->vcpu, KVM_SET_ONE_REG, &reg))
		fail("KVM_SET_ONE_REG");
}

static void get_events(struct vm *vm, struct kvm_vcpu_events *ev)
{
	if (ioctl(vm->vcpu, KVM_GET_VCPU_EVENTS, ev))
		fail("KVM_GET_VCPU_EVENTS");
}

static void show_events(struct vm *vm, const struct kvm_vcpu_events *ev)
{
	say("vmm", "  %s: KVM_GET_VCPU_EVENTS -> serror_pending=%u serror_has_esr=%u serror_esr=0x%llx",
	    vm->name, ev->exception.serror_pending, ev->exception.serror_has_esr,
	    (unsigned long long)ev->exception.serror_esr);
}

/*
 * Run the vcpu to its next report. Returns the report's offset; *val is
 * what the guest wrote, or for a read, the caller answers through
 * vm->run->mmio.data before the next run.
 */
static unsigned int run_to_report(struct vm *vm, __u64 *val)
{
	struct kvm_run *run = vm->run;

	if (ioctl(vm->vcpu, KVM_RUN, 0))
		fail("KVM_RUN");
	if (run->exit_reason != KVM_EXIT_MMIO ||
	    run->mmio.phys_addr < MMIO_BASE || run->mmio.phys_addr >= MMIO_BASE + 0x100 ||
	    run->mmio.len != 8) {
		bad("unexpected exit from the %s guest (reason %u)", vm->name, run->exit_reason);
	}
	*val = 0;
	if (run->mmio.is_write)
		memcpy(val, run->mmio.data, 8);
	if (run->mmio.phys_addr - MMIO_BASE == REPORT_VECTOR) {
		bad("the %s guest took an unexpected exception (vector 0x%llx)",
		    vm->name, (unsigned long long)*val);
	}
	return run->mmio.phys_addr - MMIO_BASE;
}

/* Run until the guest asks whether it may unmask, and answer. */
static __u64 run_until_asked(struct vm *vm, bool answer)
{
	__u64 val, isr = 0;
	unsigned int what;

	while ((what = run_to_report(vm, &val)) != REPORT_MAY_UNMASK) {
		if (what == REPORT_STATUS)
			isr = val;
		else if (what != REPORT_ESR)
			bad("unexpected report 0x%x from the %s guest", what, vm->name);
	}
	val = answer;
	memcpy(vm->run->mmio.data, &val, 8);
	return isr;
}

static const char *aet_name(unsigned int aet)
{
	static const char *const names[8] = {
		"uncontainable (UC)", "unrecoverable (UEU)", "restartable (UEO)",
		"recoverable (UER)", "reserved", "reserved", "corrected (CE)", "reserved",
	};

	return names[aet];
}

static void decode(const char *who, __u64 esr, bool ras)
{
	say(who, "  ESR_EL1 = 0x%08llx", (unsigned long long)esr);
	say(who, "    EC   0x%02llx  %s", (unsigned long long)ESR_EC(esr),
	    ESR_EC(esr) == EC_SERROR ? "SError interrupt" : "NOT an SError");
	say(who, "    IL   %llu", (unsigned long long)ESR_IL(esr));
	if (ESR_IDS(esr)) {
		say(who, "    IDS  1     implementation-defined syndrome 0x%06llx",
		    (unsigned long long)(ESR_ISS(esr) & 0xffffff));
		return;
	}
	if (!ras) {
		/* Without FEAT_RAS, IDS = 0 means there is no syndrome at all. */
		say(who, "    IDS  0     no syndrome (ISS bits [23:0] are RES0 without FEAT_RAS)");
		return;
	}
	say(who, "    IDS  0     architected syndrome:");
	say(who, "    AET  %llu     %s", (unsigned long long)ESR_AET(esr), aet_name(ESR_AET(esr)));
	say(who, "    EA   %llu", (unsigned long long)ESR_EA(esr));
	say(who, "    DFSC 0x%02llx  %s", (unsigned long long)ESR_DFSC(esr),
	    ESR_DFSC(esr) == 0x11 ? "asynchronous SError interrupt" :
	    ESR_DFSC(esr) == 0 ? "uncategorized" : "other");
}

/*
 * The device side: raise an SError, with @esr as its syndrome when the host
 * lets us choose one. Read the state first: if an SError is already
 * pending, a new SET would replace its syndrome, and merging two SErrors
 * is the VMM's job (Arm RAS rules); this device then leaves it alone.
 */
static void device_raise_serror(struct vm *vm, bool ras, __u64 esr)
{
	struct kvm_vcpu_events ev;

	get_events(vm, &ev);
	show_events(vm, &ev);
	if (ev.exception.serror_pending) {
		say("device", "an SError is already pending: leaving it as it is");
		return;
	}

	memset(&ev, 0, sizeof(ev));
	ev.exception.serror_pending = 1;
	ev.exception.serror_has_esr = 1;
	ev.exception.serror_esr = esr;
	if (!ras) {
		if (ioctl(vm->vcpu, KVM_SET_VCPU_EVENTS, &ev) == 0 || errno != EINVAL)
			bad("a chosen syndrome was not refused with EINVAL without FEAT_RAS");
		say("device", "choosing the syndrome: KVM_SET_VCPU_EVENTS(serror_has_esr=1) -> EINVAL, as expected without FEAT_RAS");
		ev.exception.serror_has_esr = 0;
		ev.exception.serror_esr = 0;
		say("device", "raising an SError with the CPU's own syndrome");
	} else {
		say("device", "raising an SError with syndrome 0x%06llx (AET=%s, DFSC=0x11)",
		    (unsigned long long)esr, aet_name(ESR_AET(esr)));
	}
	if (ioctl(vm->vcpu, KVM_SET_VCPU_EVENTS, &ev))
		fail("KVM_SET_VCPU_EVENTS");
	say("vmm", "  %s: KVM_SET_VCPU_EVENTS <- serror_pending=1 serror_has_esr=%u serror_esr=0x%llx",
	    vm->name, ev.exception.serror_has_esr, (unsigned long long)ev.exception.serror_esr);
}

/* Copy every register KVM_GET_REG_LIST names from @src to @dst. */
static unsigned int copy_registers(struct vm *src, struct vm *dst)
{
	struct kvm_reg_list probe = { .n = 0 }, *list;
	__u64 buf[256 / sizeof(__u64)];
	struct kvm_one_reg reg = { .addr = (uintptr_t)buf };
	unsigned int i;

	if (ioctl(src->vcpu, KVM_GET_REG_LIST, &probe) == 0 || errno != E2BIG)
		fail("KVM_GET_REG_LIST (size)");
	list = calloc(1, sizeof(*list) + probe.n * sizeof(__u64));
	if (!list)
		fail("calloc");
	list->n = probe.n;
	if (ioctl(src->vcpu, KVM_GET_REG_LIST, list))
		fail("KVM_GET_REG_LIST");

	for (i = 0; i < list->n; i++) {
		size_t size = 1UL << ((list->reg[i] & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);

		if (size > sizeof(buf))
			bad("register 0x%llx: %zu bytes", (unsigned long long)list->reg[i], size);
		reg.id = list->reg[i];
		if (ioctl(src->vcpu, KVM_GET_ONE_REG, &reg))
			fail("KVM_GET_ONE_REG (source)");
		if (ioctl(dst->vcpu, KVM_SET_ONE_REG, &reg))
			bad("KVM_SET_ONE_REG of register 0x%llx on the destination: %s",
			    (unsigned long long)reg.id, strerror(errno));
	}
	i = list->n;
	free(list);
	return i;
}

int main(void)
{
	struct kvm_vcpu_events ev;
	struct vm src, dst;
	__u64 val, isr, esr = 0, taken;
	unsigned int nregs, what;
	bool ras, ok = true;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		fail("open /dev/kvm");
	ras = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_INJECT_SERROR_ESR) > 0;
	say("vmm", "KVM_CAP_VCPU_EVENTS: %s, KVM_CAP_ARM_INJECT_SERROR_ESR: %s",
	    ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_VCPU_EVENTS) > 0 ? "yes" : "NO",
	    ras ? "yes (FEAT_RAS: the syndrome can be chosen)" :
		  "no (no FEAT_RAS: the CPU chooses the syndrome)");
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_VCPU_EVENTS) <= 0)
		bad("this kernel cannot save or restore vcpu events");

	/* 1. The source VM and its guest. */
	vm_create(&src, "source");
	memcpy(src.mem, guest_start, guest_end - guest_start);
	set_reg(&src, CORE_REG(regs.pc), GUEST_BASE + (guest_entry - guest_start));
	if (run_to_report(&src, &val) != REPORT_HELLO)
		bad("no hello from the guest");
	say("guest", "source: running at EL%llu, SError handler installed, SErrors masked (PSTATE.A=1)",
	    (unsigned long long)(val >> 2) & 3);
	isr = run_until_asked(&src, false);
	say("guest", "source: working, ISR_EL1.A=%d (no SError pending)", !!(isr & ISR_EL1_A));

	/* 2. A device model raises an SError. */
	device_raise_serror(&src, ras, DEMO_ESR);
	isr = run_until_asked(&src, false);
	say("guest", "source: still working with SErrors masked, ISR_EL1.A=%d (the SError waits)",
	    !!(isr & ISR_EL1_A));
	ok &= !!(isr & ISR_EL1_A);

	/*
	 * 3. Migrate. The vcpu stopped on an MMIO read; complete it without
	 * entering the guest (immediate_exit), so that the saved registers
	 * hold the access's result and the PC after it.
	 */
	src.run->immediate_exit = 1;
	if (ioctl(src.vcpu, KVM_RUN, 0) == 0 || errno != EINTR)
		fail("KVM_RUN with immediate_exit");
	say("vmm", "migrating: source vcpu stopped, its MMIO access completed");
	get_events(&src, &ev);
	show_events(&src, &ev);

	vm_create(&dst, "destination");
	memcpy(dst.mem, src.mem, GUEST_SIZE);
	nregs = copy_registers(&src, &dst);
	if (ioctl(dst.vcpu, KVM_SET_VCPU_EVENTS, &ev))
		fail("KVM_SET_VCPU_EVENTS (destination)");
	say("vmm", "  copied %lu KiB of memory, %u registers and the vcpu events to the destination",
	    GUEST_SIZE / 1024, nregs);
	vm_destroy(&src);
	say("vmm", "  source VM closed");
	get_events(&dst, &ev);
	show_events(&dst, &ev);

	/* 4. The destination guest unmasks SErrors. */
	isr = run_until_asked(&dst, true);
	say("guest", "destination: resumed, ISR_EL1.A=%d; unmasking SErrors", !!(isr & ISR_EL1_A));
	ok &= !!(isr & ISR_EL1_A);
	while ((what = run_to_report(&dst, &val)) != REPORT_DONE) {
		if (what != REPORT_SERROR)
			bad("unexpected report 0x%x from the destination guest", what);
		esr = val;
		say("guest", "destination: SError handler entered");
		decode("guest", esr, ras);
	}
	taken = val;
	say("guest", "destination: took %llu SError%s in all", (unsigned long long)taken,
	    taken == 1 ? "" : "s");
	get_events(&dst, &ev);
	show_events(&dst, &ev);

	ok &= taken == 1 && ESR_EC(esr) == EC_SERROR && !ev.exception.serror_pending;
	if (ras) {
		say("result", "injected ISS 0x%06llx, received ISS 0x%06llx: %s",
		    (unsigned long long)DEMO_ESR, (unsigned long long)ESR_ISS(esr),
		    ESR_ISS(esr) == DEMO_ESR ? "the same" : "DIFFERENT");
		ok &= ESR_ISS(esr) == DEMO_ESR;
	} else {
		say("result", "no syndrome could be chosen; the SError itself crossed the migration");
	}
	vm_destroy(&dst);
	printf("demo: %s\n", ok ? "the destination guest received what was injected" :
	       "FAILED: the destination guest did not receive what was injected");
	return !ok;
}
