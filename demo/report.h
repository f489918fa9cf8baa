/* SPDX-License-Identifier: GPL-2.0-only */
/* The demo guest's report device, shared by guest.S and serror_demo.c. */
#ifndef REPORT_H
#define REPORT_H

#define MMIO_BASE		0x10000000

#define REPORT_HELLO		0x00
#define REPORT_STATUS		0x08
#define REPORT_MAY_UNMASK	0x10
#define REPORT_SERROR		0x18
#define REPORT_DONE		0x20
#define REPORT_ESR		0x28
#define REPORT_VECTOR		0x30

#endif
