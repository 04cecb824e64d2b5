// Winograd input transforms, one row of tiles per call (UNetKit's Ops/FastPaths/Conv2dWinograd.swift
// runs them on each padded plane; WinogradF4Transforms.swift has the F(4×4) matrices). The lanes
// are 8 neighbouring tiles; point e of a tile goes to out[e·e_stride + tile].
#include "CVectorKernels.h"
#include "TileColumns.h"

VK_CLONES
void vk_winograd_f2_input_row(const float *patch, ptrdiff_t pw, float *out, ptrdiff_t e_stride, ptrdiff_t tiles) {
    for (ptrdiff_t tj = 0; tj < tiles; tj += 8) {
        ptrdiff_t n = tiles - tj < 8 ? tiles - tj : 8;
        const float *line = patch + 2 * tj;
        float *t = out + tj;
        // d[r][s]: column s of row r of 8 patches (line[2k + s]).
        Lanes d[4][4];
        for (int r = 0; r < 4; r++) {
            load_stride2_columns(line + r * pw, d[r]);
            load_stride2_columns(line + r * pw + 2, d[r] + 2);
        }
        // Bᵀ d (rows: d0 − d2, d1 + d2, d2 − d1, d1 − d3), then (·) B on the columns.
        Lanes rows[4][4];
        for (int s = 0; s < 4; s++) {
            rows[0][s] = d[0][s] - d[2][s];
            rows[1][s] = d[1][s] + d[2][s];
            rows[2][s] = d[2][s] - d[1][s];
            rows[3][s] = d[1][s] - d[3][s];
        }
        for (int r = 0; r < 4; r++) {
            const Lanes *c = rows[r];
            Lanes o[4] = {c[0] - c[2], c[1] + c[2], c[2] - c[1], c[1] - c[3]};
            for (int k = 0; k < 4; k++) store_lanes(&o[k], t + (4 * r + k) * e_stride, n);
        }
    }
}

/// Bᵀ d for 6 values (WinogradF4Transforms.swift's matrix), 8 tiles at a time.
static inline void f4_bt(const Lanes d[6], Lanes o[6]) {
    o[0] = 2.0f * (d[0] + d[4]) - 3.0f * (d[1] - d[3]) - 4.0f * d[2];
    o[1] = d[2] + 5.0f * d[3] - 2.0f * (d[1] - d[4]);
    o[2] = 2.0f * (d[1] + d[4]) - 5.0f * d[2] + d[3];
    o[3] = 2.0f * (d[3] - d[1]) - d[2] + d[4];
    o[4] = d[1] - d[3] + 2.0f * (d[4] - d[2]);
    o[5] = 2.0f * (d[1] + d[5]) - 3.0f * (d[2] - d[4]) - 4.0f * d[3];
}

VK_CLONES
void vk_winograd_f4_input_row(const float *patch, ptrdiff_t pw, float *out, ptrdiff_t e_stride, ptrdiff_t tiles) {
    for (ptrdiff_t tj = 0; tj < tiles; tj += 8) {
        ptrdiff_t n = tiles - tj < 8 ? tiles - tj : 8;
        const float *line = patch + 4 * tj;
        float *t = out + tj;
        // d B on each of the 6 rows: h[r][·].
        Lanes h[6][6];
        for (int r = 0; r < 6; r++) {
            Lanes c[6], c4[4];
            load_stride4_columns(line + r * pw, c);
            load_stride4_columns(line + r * pw + 4, c4);
            c[4] = c4[0];
            c[5] = c4[1];
            f4_bt(c, h[r]);
        }
        // Bᵀ (·) on each column j: point 6i + j.
        for (int j = 0; j < 6; j++) {
            Lanes column[6] = {h[0][j], h[1][j], h[2][j], h[3][j], h[4][j], h[5][j]}, o[6];
            f4_bt(column, o);
            for (int i = 0; i < 6; i++) store_lanes(&o[i], t + (6 * i + j) * e_stride, n);
        }
    }
}
