// Winograd F(2×2, 3×3)'s kernel transform U = G w Gᵀ for the kernels of one output channel
// (UNetKit's Ops/FastPaths/Conv2dWinograd.swift runs it, one output channel per job).
#include "CVectorKernels.h"
#include "Lanes.h"

/// G maps 3 values to 4: (a0, (a0 + a1 + a2)/2, (a0 − a1 + a2)/2, a2), 8 kernels at a time.
static inline void f2_g(const Lanes *a0, const Lanes *a1, const Lanes *a2, Lanes o[4]) {
    o[0] = *a0;
    o[1] = 0.5f * (*a0 + *a1 + *a2);
    o[2] = 0.5f * (*a0 - *a1 + *a2);
    o[3] = *a2;
}

VK_CLONES
void vk_winograd_f2_weight_transform(const float *w, ptrdiff_t cin, float *u, ptrdiff_t plane) {
    for (ptrdiff_t ci = 0; ci < cin; ci += 8) {
        ptrdiff_t n = cin - ci < 8 ? cin - ci : 8;
        const float *k = w + ci * 9;
        // Tap j of the kernels of input channels ci, ci + 1, …: lane l is k[9l + j].
        Lanes tap[9];
        for (int j = 0; j < 9; j++) {
            tap[j] = (Lanes){0};
            for (ptrdiff_t l = 0; l < n; l++) tap[j][l] = k[9 * l + j];
        }
        // G on the kernel's columns (c[column][·]), then on each row of the result.
        Lanes c[3][4];
        for (int column = 0; column < 3; column++) f2_g(&tap[column], &tap[3 + column], &tap[6 + column], c[column]);
        for (int r = 0; r < 4; r++) {
            Lanes row[4];
            f2_g(&c[0][r], &c[1][r], &c[2][r], row);
            for (int s = 0; s < 4; s++) store_lanes(&row[s], u + ci + (4 * r + s) * plane, n);
        }
    }
}
