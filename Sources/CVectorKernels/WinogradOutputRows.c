// Winograd output transforms, one row of tiles per call (UNetKit's Ops/FastPaths/Conv2dWinograd.swift
// copies the rows into the output plane; WinogradF4Transforms.swift has the F(4×4) matrices). The
// lanes are 8 neighbouring tiles; point e of tile j is read at m[e·e_stride + j].
#include "CVectorKernels.h"
#include "TileColumns.h"

/// + bias, then, when `affine` is given, max(0, v·affine[0] + affine[1]) (NaN to 0).
static inline void finish(Lanes *v, float bias, const float *affine) {
    *v = *v + bias;
    if (affine) {
        Lanes gate = *v * affine[0] + affine[1];
        *v = gate;
        keep_where_positive(v, &gate);
    }
}

VK_CLONES
void vk_winograd_f2_output_row(const float *m, ptrdiff_t e_stride, ptrdiff_t tiles, float *rows, ptrdiff_t pw,
                               float bias, const float *affine) {
    for (ptrdiff_t tj = 0; tj < tiles; tj += 8) {
        const float *s = m + tj;
        // Aᵀ M (rows: m0 + m1 + m2, m1 − m2 − m3) on each column c.
        Lanes top[4], bottom[4];
        for (int c = 0; c < 4; c++) {
            Lanes m0, m1, m2, m3;
            load_lanes(&m0, s + c * e_stride, 8);
            load_lanes(&m1, s + (4 + c) * e_stride, 8);
            load_lanes(&m2, s + (8 + c) * e_stride, 8);
            load_lanes(&m3, s + (12 + c) * e_stride, 8);
            top[c] = m0 + m1 + m2;
            bottom[c] = m1 - m2 - m3;
        }
        // (·) A on the columns: output row r, columns 2k and 2k + 1 of tile k.
        for (int r = 0; r < 2; r++) {
            const Lanes *v = r == 0 ? top : bottom;
            Lanes columns[2] = {v[0] + v[1] + v[2], v[1] - v[2] - v[3]};
            finish(&columns[0], bias, affine);
            finish(&columns[1], bias, affine);
            store_stride2_columns(columns, rows + r * pw + 2 * tj);
        }
    }
}

/// Aᵀ m for 6 values → 4 (WinogradF4Transforms.swift's matrix), 8 tiles at a time.
static inline void f4_at(const Lanes m[6], Lanes o[4]) {
    Lanes s12 = m[1] + m[2], t12 = m[1] - m[2];
    o[0] = m[0] + s12 + m[3] + m[4];
    o[1] = t12 + 0.5f * m[3] - 2.0f * m[4];
    o[2] = s12 + 0.25f * m[3] + 4.0f * m[4];
    o[3] = t12 + 0.125f * m[3] - 8.0f * m[4] + m[5];
}

VK_CLONES
void vk_winograd_f4_output_row(const float *m, ptrdiff_t e_stride, ptrdiff_t tiles, float *rows, ptrdiff_t pw,
                               float bias, const float *affine) {
    for (ptrdiff_t tj = 0; tj < tiles; tj += 8) {
        const float *s = m + tj;
        // M A on each of the 6 rows: h[r][·].
        Lanes h[6][4];
        for (int r = 0; r < 6; r++) {
            Lanes row[6];
            for (int c = 0; c < 6; c++) load_lanes(&row[c], s + (6 * r + c) * e_stride, 8);
            f4_at(row, h[r]);
        }
        // Aᵀ (·) on each column j: o[j][r] is output row r, column 4k + j of tile k.
        Lanes o[4][4];
        for (int j = 0; j < 4; j++) {
            Lanes column[6] = {h[0][j], h[1][j], h[2][j], h[3][j], h[4][j], h[5][j]};
            f4_at(column, o[j]);
            for (int r = 0; r < 4; r++) finish(&o[j][r], bias, affine);
        }
        // Output row r: columns 0…3 of 8 tiles, interleaved (32 floats).
        for (int r = 0; r < 4; r++) {
            Lanes columns[4] = {o[0][r], o[1][r], o[2][r], o[3][r]};
            store_stride4_columns(columns, rows + r * pw + 4 * tj);
        }
    }
}
