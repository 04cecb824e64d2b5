// CMalloc: glibc's mallopt (malloc.h), for the allocator settings in FastPathSettings.swift.
#include <malloc.h>
