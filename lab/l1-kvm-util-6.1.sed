# The KVM selftests library of 6.12 (lib/kvm_util.c) as the lab builds it:
# it sets memory regions with KVM_SET_USER_MEMORY_REGION2, which came in 6.8,
# and refuses to run without it.  On an older kernel (Debian 12's 6.1) it
# uses KVM_SET_USER_MEMORY_REGION, whose struct is the first part of the
# newer one's (the lab's programs use no guest_memfd).  lab/l1-programs.mk.
/^#include "ucall_common.h"/a\
\
/* kvm-exit-stats lab: KVM_SET_USER_MEMORY_REGION2 if KVM has it (6.8). */\
static unsigned long kes_region_ioctl(void)\
{\
	static int v2 = -1;\
\
	if (v2 < 0)\
		v2 = kvm_has_cap(KVM_CAP_USER_MEMORY2);\
	return v2 ? KVM_SET_USER_MEMORY_REGION2 : KVM_SET_USER_MEMORY_REGION;\
}
s/__vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, /ioctl(vm->fd, kes_region_ioctl(), /
s/vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, \(&region->region\));/TEST_ASSERT(!ioctl(vm->fd, kes_region_ioctl(), \1), "KVM_SET_USER_MEMORY_REGION failed");/
s/ioctl(\(vmp\{0,1\}\)->fd, KVM_SET_USER_MEMORY_REGION2, /ioctl(\1->fd, kes_region_ioctl(), /
s/__TEST_REQUIRE(kvm_has_cap(KVM_CAP_USER_MEMORY2),/__TEST_REQUIRE(true,/
