// 2×2 max-pooling with stride 2 on one plane (UNetKit's Ops/MaxPooling.swift runs it, one plane
// per job, for float tensors).
#include <stdint.h>

#include "CVectorKernels.h"
#include "TileColumns.h"

typedef int32_t Indices __attribute__((vector_size(32)));

/// *into takes a's lanes where `take` is set and keeps its own elsewhere.
static inline void select_lanes(Lanes *into, const LaneMask *take, const Lanes *a) {
    *into = (Lanes)(((LaneMask)*a & *take) | ((LaneMask)*into & ~*take));
}

VK_CLONES
void vk_max_pool_2x2(const float *x, ptrdiff_t height, ptrdiff_t width, float *y, int32_t *argmax) {
    const ptrdiff_t oh = height / 2, ow = width / 2;
    for (ptrdiff_t i = 0; i < oh; i++) {
        const float *row = x + 2 * i * width;
        ptrdiff_t j = 0;
        // 8 windows at a time: 16 floats of each of the two rows.
        for (; j + 8 <= ow; j += 8) {
            // Candidates in the window's order: (0, 0), (0, 1), (1, 0), (1, 1).
            Lanes candidates[4];
            load_stride2_columns(row + 2 * j, candidates);
            load_stride2_columns(row + width + 2 * j, candidates + 2);
            const int32_t first = (int32_t)(2 * i * width + 2 * j);
            const int32_t offsets[4] = {0, 1, (int32_t)width, (int32_t)width + 1};
            Indices step = {0, 2, 4, 6, 8, 10, 12, 14};
            Lanes best = candidates[0];
            Indices index = step + first;
            // A later element wins when it is larger or NaN (PyTorch's rule); the first on ties.
            for (int c = 0; c < 4; c++) {
                LaneMask take = (LaneMask)(candidates[c] > best) | (LaneMask)(candidates[c] != candidates[c]);
                select_lanes(&best, &take, &candidates[c]);
                Indices at = step + (first + offsets[c]);
                index = (at & take) | (index & ~take);
            }
            store_lanes(&best, y + i * ow + j, 8);
            memcpy(argmax + i * ow + j, &index, sizeof index);
        }
        for (; j < ow; j++) {
            ptrdiff_t best = 2 * i * width + 2 * j;
            for (ptrdiff_t di = 0; di < 2; di++) {
                for (ptrdiff_t dj = 0; dj < 2; dj++) {
                    ptrdiff_t at = (2 * i + di) * width + 2 * j + dj;
                    if (x[at] > x[best] || x[at] != x[at]) best = at;
                }
            }
            y[i * ow + j] = x[best];
            argmax[i * ow + j] = (int32_t)best;
        }
    }
}
