// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest that make vmm-test runs under Debian's QEMU with -accel kvm,
 * inside the emulated arm64 machine: bare metal at EL1 on QEMU's virt
 * board, MMU off, console on the PL011. Built freestanding, loaded by
 * QEMU as an ELF file (-kernel).
 *
 * It prints "guest: booted" once, then:
 *
 * - if the harness has put a non-zero word at PROBE_FLAG (-device loader),
 *   it loads from PROBE_ADDR with an instruction whose syndrome KVM cannot
 *   decode (a load with writeback). Nothing is mapped there, so KVM exits
 *   with KVM_EXIT_ARM_NISV and QEMU answers with KVM_SET_VCPU_EVENTS
 *   (ext_dabt_pending). The guest checks the synchronous external data
 *   abort it takes and prints "ext-dabt: ok" or what was wrong;
 *
 * - it counts, printing "tick N" ten times a second of virtual time, for
 *   ever. A guest migrated while it counts goes on from where it was; a
 *   restarted one would print its banner and start again from 1.
 */
#include <stdint.h>

#define UART_DR		((volatile uint32_t *)0x09000000UL)
#define PROBE_FLAG	((volatile uint64_t *)0x40200000UL)
/* The virt board's platform bus: neither memory nor a device behind it. */
#define PROBE_ADDR	0x0c000000UL

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_FSC(esr)	((esr) & 0x3f)
#define EC_DABT_CUR	0x25	/* data abort taken without a change of EL */
#define FSC_EXTABT	0x10	/* synchronous external abort */

/* Start-up and vectors: every exception saves x0-x30 and calls exception(). */
asm(
"	.section .text.start, \"ax\"\n"
"	.globl	_start\n"
"_start:\n"
"	ldr	x0, =stack_top\n"
"	mov	sp, x0\n"
"	adr	x0, vectors\n"
"	msr	vbar_el1, x0\n"
"	isb\n"
"	bl	main\n"
"1:	wfi\n"
"	b	1b\n"
"\n"
"	.balign	2048\n"
"vectors:\n"
"	.irp	vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
"	.balign	0x80\n"
"	sub	sp, sp, #256\n"
"	stp	x0, x1, [sp, #0]\n"
"	mov	x0, #(\\vec * 0x80)\n"
"	b	save_rest\n"
"	.endr\n"
"\n"
"save_rest:\n"
"	stp	x2, x3, [sp, #16]\n"
"	stp	x4, x5, [sp, #32]\n"
"	stp	x6, x7, [sp, #48]\n"
"	stp	x8, x9, [sp, #64]\n"
"	stp	x10, x11, [sp, #80]\n"
"	stp	x12, x13, [sp, #96]\n"
"	stp	x14, x15, [sp, #112]\n"
"	stp	x16, x17, [sp, #128]\n"
"	stp	x18, x30, [sp, #144]\n"
"	bl	exception\n"
"	ldp	x2, x3, [sp, #16]\n"
"	ldp	x4, x5, [sp, #32]\n"
"	ldp	x6, x7, [sp, #48]\n"
"	ldp	x8, x9, [sp, #64]\n"
"	ldp	x10, x11, [sp, #80]\n"
"	ldp	x12, x13, [sp, #96]\n"
"	ldp	x14, x15, [sp, #112]\n"
"	ldp	x16, x17, [sp, #128]\n"
"	ldp	x18, x30, [sp, #144]\n"
"	ldp	x0, x1, [sp, #0]\n"
"	add	sp, sp, #256\n"
"	eret\n"
"	.text\n"
);

#define read_sysreg(r) ({ uint64_t __v; asm volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) asm volatile("msr " #r ", %0" : : "r"((uint64_t)(v)))

static void put_char(char c)
{
	*UART_DR = c;
}

static void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

static void put_hex(uint64_t v)
{
	int shift;

	put_str("0x");
	for (shift = 60; shift > 0 && !(v >> shift); shift -= 4)
		;
	for (; shift >= 0; shift -= 4)
		put_char("0123456789abcdef"[(v >> shift) & 0xf]);
}

static void put_dec(uint64_t v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		put_char(digits[--n]);
}

extern char probe_insn[];
static volatile uint64_t seen_esr, seen_far, seen_elr, aborts;

void exception(uint64_t vector)
{
	uint64_t elr = read_sysreg(elr_el1);

	if (elr != (uint64_t)probe_insn) {
		put_str("guest: unexpected exception, vector offset ");
		put_hex(vector);
		put_str(" ESR_EL1 ");
		put_hex(read_sysreg(esr_el1));
		put_str(" ELR_EL1 ");
		put_hex(elr);
		put_char('\n');
		for (;;)
			asm volatile("wfi");
	}
	seen_esr = read_sysreg(esr_el1);
	seen_far = read_sysreg(far_el1);
	seen_elr = elr;
	aborts++;
	/* Resume after the load that took the abort. */
	write_sysreg(elr + 4, elr_el1);
}

static void __attribute__((noinline)) probe(void)
{
	uint64_t addr = PROBE_ADDR, val = 0;
	int ok;

	seen_esr = seen_far = seen_elr = aborts = 0;
	asm volatile("probe_insn: ldr %0, [%1], #8"
		     : "+r"(val), "+r"(addr) : : "memory");

	ok = aborts == 1 && ESR_EC(seen_esr) == EC_DABT_CUR &&
	     ESR_FSC(seen_esr) == FSC_EXTABT && seen_far == PROBE_ADDR &&
	     seen_elr == (uint64_t)probe_insn;
	put_str("ext-dabt: ");
	put_dec(aborts);
	put_str(" abort(s), ESR_EL1 ");
	put_hex(seen_esr);
	put_str(" (EC ");
	put_hex(ESR_EC(seen_esr));
	put_str(", FSC ");
	put_hex(ESR_FSC(seen_esr));
	put_str("), FAR_EL1 ");
	put_hex(seen_far);
	put_str(", ELR_EL1 ");
	put_str(seen_elr == (uint64_t)probe_insn ? "the load" : "elsewhere");
	put_char('\n');
	put_str(ok ? "ext-dabt: ok\n" : "ext-dabt: WRONG (expected EC 0x25, FSC 0x10, FAR 0xc000000, ELR the load)\n");
}

int main(void)
{
	uint64_t step, next, n;

	put_str("guest: booted\n");
	if (*PROBE_FLAG)
		probe();

	step = read_sysreg(cntfrq_el0) / 10;
	next = read_sysreg(cntvct_el0);
	for (n = 1;; n++) {
		next += step;
		while (read_sysreg(cntvct_el0) < next)
			;
		put_str("tick ");
		put_dec(n);
		put_char('\n');
	}
}
