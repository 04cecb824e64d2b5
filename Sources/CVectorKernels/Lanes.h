// Eight floats as one value (Clang/GCC vector extensions), the C twin of Swift's SIMD8<Float>,
// and the attribute that compiles a kernel once per x86-64 level.
#ifndef CVECTORKERNELS_LANES_H
#define CVECTORKERNELS_LANES_H

#include <stddef.h>
#include <string.h>

// No fused multiply-add: a·b + c rounds twice, as in the Swift code these kernels replaced and
// in every clone, so the result does not depend on the CPU.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && defined(__linux__)
#define VK_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define VK_CLONES
#endif

typedef float Lanes __attribute__((vector_size(32)));
typedef int LaneMask __attribute__((vector_size(32)));

// The helpers take and give Lanes through pointers: a by-value 32-byte vector would change the
// calling convention between the clones (Clang rejects it without AVX); inlined, it costs nothing.

/// *v = 8 floats from p (unaligned), or the first n of them with the other lanes 0.
static inline void load_lanes(Lanes *v, const float *p, ptrdiff_t n) {
    if (n >= 8) {
        memcpy(v, p, sizeof *v);
    } else {
        *v = (Lanes){0};
        for (ptrdiff_t k = 0; k < n; k++) (*v)[k] = p[k];
    }
}

/// The first n (at most 8) lanes of *v to p.
static inline void store_lanes(const Lanes *v, float *p, ptrdiff_t n) {
    if (n >= 8) {
        memcpy(p, v, sizeof *v);
    } else {
        for (ptrdiff_t k = 0; k < n; k++) p[k] = (*v)[k];
    }
}

/// *v where *gate > 0, else +0 (a NaN gate gives 0), in place.
static inline void keep_where_positive(Lanes *v, const Lanes *gate) {
    const Lanes zero = {0};
    *v = (Lanes)((LaneMask)*v & (LaneMask)(*gate > zero));
}

/// The lanes added in order, lane 0 first (Swift's `SIMD8.sum()`).
static inline float lane_sum(const Lanes *v) {
    float s = (*v)[0];
    for (int k = 1; k < 8; k++) s += (*v)[k];
    return s;
}

#endif
