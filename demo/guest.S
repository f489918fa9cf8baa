/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The demo's guest: a few instructions of EL1 code, copied by the VMM into
 * guest memory and never run on the host. It talks to the VMM through a
 * tiny MMIO "report device" at MMIO_BASE (nothing is mapped there, so every
 * access exits to user space):
 *
 *   HELLO       write  CurrentEL, once, after installing the vectors
 *   STATUS      write  ISR_EL1, each time round the loop (bit 8, A, is set
 *                      while an SError is pending)
 *   MAY_UNMASK  read   0: keep SErrors masked and loop, 1: unmask them
 *   SERROR      write  ESR_EL1, from the SError handler
 *   DONE        write  how many SErrors the handler took
 *   ESR, VECTOR write  ESR_EL1, then the vector offset, from any other
 *                      exception (which the demo treats as a failure)
 *
 * PSTATE.A is set out of reset, so SErrors stay masked until the VMM says.
 * The code is position independent; the vectors must sit 2 KiB aligned in
 * guest memory, hence the alignment of the blob.
 */
#include "report.h"

	.section .rodata.guest, "a"
	.balign	2048
	.globl	guest_start, guest_entry, guest_end

guest_start:
vectors:
	.irp	vec, 0x000, 0x080, 0x100, 0x180, 0x200, 0x280, 0x300
	.balign	0x80
	mov	x9, #\vec
	b	unexpected
	.endr

	/* SError, current EL with SP_ELx: report the syndrome, count it. */
	.balign	0x80
	mrs	x9, esr_el1
	str	x9, [x20, #REPORT_SERROR]
	add	x21, x21, #1
	eret

	.irp	vec, 0x400, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
	.balign	0x80
	mov	x9, #\vec
	b	unexpected
	.endr

unexpected:
	mrs	x10, esr_el1
	str	x10, [x20, #REPORT_ESR]
	str	x9, [x20, #REPORT_VECTOR]
	b	.

guest_entry:
	mov	x20, #MMIO_BASE
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	mov	x21, #0
	mrs	x0, currentel
	str	x0, [x20, #REPORT_HELLO]

	/* Work with SErrors masked until the VMM lets us unmask them. */
1:	mrs	x0, isr_el1
	str	x0, [x20, #REPORT_STATUS]
	ldr	x0, [x20, #REPORT_MAY_UNMASK]
	cbz	x0, 1b

	/* A pending SError is taken here, before DONE is written. */
	msr	daifclr, #4
	isb
	str	x21, [x20, #REPORT_DONE]
2:	wfi
	b	2b
guest_end:
