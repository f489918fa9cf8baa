// SPDX-License-Identifier: GPL-2.0
/*
 * holdvm: create one VM and keep it until the guest powers off. Returns
 * once the VM exists; a child of it holds the VM's file descriptor.
 * guest/init runs it before any test program, so that KVM's preempt
 * notifier static key, which KVM turns on when a VM is created while none
 * exists and off when the last one is destroyed, is patched once per boot
 * (guest/init says why).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (kvm < 0 || ioctl(kvm, KVM_CREATE_VM, 0) < 0) {
		perror("# holdvm");
		return EXIT_FAILURE;
	}
	if (daemon(1, 1)) {
		perror("# holdvm: daemon");
		return EXIT_FAILURE;
	}
	for (;;)
		pause();
}
