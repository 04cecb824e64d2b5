// The backward pass's Winograd transforms, one row of tiles per call (UNetKit's
// Ops/FastPaths/Conv2dWinograd.swift runs them; WinogradF4Transforms.swift has the F(4×4)
// matrices): the output gradient's transform (A dy Aᵀ, stored like the input transform) and the
// input gradient's (B dV Bᵀ, added onto overlapping patches in the order the Swift loops added).
#include "CVectorKernels.h"
#include "TileColumns.h"

VK_CLONES
void vk_winograd_f2_output_gradient_row(const float *patch, ptrdiff_t pw, float *out, ptrdiff_t e_stride,
                                        ptrdiff_t tiles) {
    for (ptrdiff_t tj = 0; tj < tiles; tj += 8) {
        ptrdiff_t n = tiles - tj < 8 ? tiles - tj : 8;
        const float *line = patch + 2 * tj;
        float *t = out + tj;
        // The 2×2 gradient (a b; c d) of each tile: rows (a, b), (a + c, b + d), (a − c, b − d),
        // (−c, −d), and each row (p, q) the columns (p, p + q, p − q, −q).
        Lanes upper[2], lower[2];
        load_stride2_columns(line, upper);
        load_stride2_columns(line + pw, lower);
        Lanes a = upper[0], b = upper[1], c = lower[0], d = lower[1];
        Lanes p[4] = {a, a + c, a - c, -c}, q[4] = {b, b + d, b - d, -d};
        for (int r = 0; r < 4; r++) {
            Lanes o[4] = {p[r], p[r] + q[r], p[r] - q[r], -q[r]};
            for (int k = 0; k < 4; k++) store_lanes(&o[k], t + (4 * r + k) * e_stride, n);
        }
    }
}

/// A y for 4 values → 6 (WinogradF4Transforms.swift's matrix), 8 tiles at a time.
static inline void f4_a(const Lanes y[4], Lanes o[6]) {
    Lanes even = y[0] + y[2], odd = y[1] + y[3];
    o[0] = y[0];
    o[1] = even + odd;
    o[2] = even - odd;
    o[3] = y[0] + 0.5f * y[1] + 0.25f * y[2] + 0.125f * y[3];
    o[4] = y[0] - 2.0f * y[1] + 4.0f * y[2] - 8.0f * y[3];
    o[5] = y[3];
}

VK_CLONES
void vk_winograd_f4_output_gradient_row(const float *patch, ptrdiff_t pw, float *out, ptrdiff_t e_stride,
                                        ptrdiff_t tiles) {
    for (ptrdiff_t tj = 0; tj < tiles; tj += 8) {
        ptrdiff_t n = tiles - tj < 8 ? tiles - tj : 8;
        const float *line = patch + 4 * tj;
        float *t = out + tj;
        // dy Aᵀ on each of the 4 rows: h[r][·].
        Lanes h[4][6];
        for (int r = 0; r < 4; r++) {
            Lanes c[4];
            load_stride4_columns(line + r * pw, c);
            f4_a(c, h[r]);
        }
        // A (·) on each of the 6 columns j: point 6i + j.
        for (int j = 0; j < 6; j++) {
            Lanes column[4] = {h[0][j], h[1][j], h[2][j], h[3][j]}, o[6];
            f4_a(column, o);
            for (int i = 0; i < 6; i++) store_lanes(&o[i], t + (6 * i + j) * e_stride, n);
        }
    }
}

/// Lane k of the result is v[k − 1]; lane 0 is 0.
static inline void shift_up(Lanes *into, const Lanes *v) {
    const Lanes zero = {0};
    *into = __builtin_shufflevector(zero, *v, 7, 8, 9, 10, 11, 12, 13, 14);
}

/// *x + *add in lanes 1…7; lane 0 of *x as it is (adding 0 would turn −0 into +0).
static inline void add_above_lane0(Lanes *x, const Lanes *add) {
    const LaneMask lane0 = {-1, 0, 0, 0, 0, 0, 0, 0};
    Lanes sum = *x + *add;
    *x = (Lanes)(((LaneMask)*x & lane0) | ((LaneMask)sum & ~lane0));
}

VK_CLONES
void vk_winograd_f2_input_gradient_row(const float *dv, ptrdiff_t e_stride, ptrdiff_t tiles, float *patch,
                                       ptrdiff_t pw) {
    for (ptrdiff_t tj = 0; tj < tiles; tj += 8) {
        ptrdiff_t n = tiles - tj < 8 ? tiles - tj : 8;
        const float *s = dv + tj;
        // (·) Bᵀ on each row's columns: (v0, v1 − v2 + v3, −v0 + v1 + v2, −v3); row[r][c].
        Lanes row[4][4];
        for (int r = 0; r < 4; r++) {
            Lanes v[4];
            for (int c = 0; c < 4; c++) load_lanes(&v[c], s + (4 * r + c) * e_stride, 8);
            row[r][0] = v[0];
            row[r][1] = v[1] - v[2] + v[3];
            row[r][2] = -v[0] + v[1] + v[2];
            row[r][3] = -v[3];
        }
        // B (·) on the rows, the same combination: the patch's rows 0…3, columns 0…3 of each tile.
        Lanes patch_rows[4][4];
        for (int c = 0; c < 4; c++) {
            patch_rows[0][c] = row[0][c];
            patch_rows[1][c] = row[1][c] - row[2][c] + row[3][c];
            patch_rows[2][c] = -row[0][c] + row[1][c] + row[2][c];
            patch_rows[3][c] = -row[3][c];
        }
        for (int r = 0; r < 4; r++) {
            float *line = patch + r * pw + 2 * tj;
            const Lanes *v = patch_rows[r];
            if (n < 8) {
                for (ptrdiff_t k = 0; k < n; k++) {
                    line[2 * k] += v[0][k];
                    line[2 * k + 1] += v[1][k];
                    line[2 * k + 2] += v[2][k];
                    line[2 * k + 3] += v[3][k];
                }
                continue;
            }
            // Tile k adds columns 0…3 at line[2k …]: position 2k gets tile k − 1's column 2,
            // then tile k's column 0 (2k + 1: columns 3, then 1) — the scalar loop's order.
            Lanes p[2], shifted;
            load_stride2_columns(line, p);
            shift_up(&shifted, &v[2]);
            add_above_lane0(&p[0], &shifted);
            shift_up(&shifted, &v[3]);
            add_above_lane0(&p[1], &shifted);
            p[0] += v[0];
            p[1] += v[1];
            store_stride2_columns(p, line);
            line[16] += v[2][7];
            line[17] += v[3][7];
        }
    }
}

/// B v for 6 values (WinogradF4Transforms.swift's matrix), 8 tiles at a time.
static inline void f4_b(const Lanes v[6], Lanes o[6]) {
    o[0] = 2.0f * v[0];
    o[1] = 2.0f * (v[2] - v[1] - v[3] + v[5]) - 3.0f * v[0] + v[4];
    o[2] = v[1] - 4.0f * v[0] - 5.0f * v[2] - v[3] - 2.0f * v[4] - 3.0f * v[5];
    o[3] = 3.0f * v[0] + 5.0f * v[1] + v[2] + 2.0f * v[3] - v[4] - 4.0f * v[5];
    o[4] = 2.0f * (v[0] + v[1] + v[2] + v[4]) + v[3] + 3.0f * v[5];
    o[5] = 2.0f * v[5];
}

VK_CLONES
void vk_winograd_f4_input_gradient_row(const float *dv, ptrdiff_t e_stride, ptrdiff_t tiles, float *patch,
                                       ptrdiff_t pw) {
    for (ptrdiff_t tj = 0; tj < tiles; tj += 8) {
        ptrdiff_t n = tiles - tj < 8 ? tiles - tj : 8;
        const float *s = dv + tj;
        // (·) Bᵀ on each of the 6 rows: h[r][·].
        Lanes h[6][6];
        for (int r = 0; r < 6; r++) {
            Lanes v[6];
            for (int c = 0; c < 6; c++) load_lanes(&v[c], s + (6 * r + c) * e_stride, 8);
            f4_b(v, h[r]);
        }
        // B (·) on each of the 6 columns j: col[j][r] is patch row r, column 4k + j of tile k.
        Lanes col[6][6];
        for (int j = 0; j < 6; j++) {
            Lanes column[6] = {h[0][j], h[1][j], h[2][j], h[3][j], h[4][j], h[5][j]};
            f4_b(column, col[j]);
        }
        for (int r = 0; r < 6; r++) {
            float *line = patch + r * pw + 4 * tj;
            if (n < 8) {
                for (int j = 0; j < 6; j++) {
                    for (ptrdiff_t k = 0; k < n; k++) line[4 * k + j] += col[j][r][k];
                }
                continue;
            }
            // Tile k adds columns 0…5 at line[4k …]; position 4k + s (s < 2) gets tile k's
            // column s, then tile k − 1's column s + 4 — the scalar loop's order (j outer).
            Lanes p[4], shifted;
            load_stride4_columns(line, p);
            for (int j = 0; j < 4; j++) p[j] += col[j][r];
            shift_up(&shifted, &col[4][r]);
            add_above_lane0(&p[0], &shifted);
            shift_up(&shifted, &col[5][r]);
            add_above_lane0(&p[1], &shifted);
            store_stride4_columns(p, line);
            line[32] += col[4][r][7];
            line[33] += col[5][r][7];
        }
    }
}
