// Loads and stores of 8 neighbouring tiles' columns: the tiles (or 2×2 pooling windows) of a
// row sit 2 or 4 floats apart in a plane's row, and a vector holds one column of each.
#ifndef CVECTORKERNELS_TILECOLUMNS_H
#define CVECTORKERNELS_TILECOLUMNS_H

#include "Lanes.h"

/// Columns 0 and 1 of 8 tiles 2 columns apart (16 floats read): lane k of c[j] is row[2k + j].
static inline void load_stride2_columns(const float *row, Lanes c[2]) {
    Lanes q0, q1;
    load_lanes(&q0, row, 8);
    load_lanes(&q1, row + 8, 8);
    c[0] = __builtin_shufflevector(q0, q1, 0, 2, 4, 6, 8, 10, 12, 14);
    c[1] = __builtin_shufflevector(q0, q1, 1, 3, 5, 7, 9, 11, 13, 15);
}

/// The inverse: row[2k + j] = lane k of c[j] (16 floats written).
static inline void store_stride2_columns(const Lanes c[2], float *row) {
    Lanes lo = __builtin_shufflevector(c[0], c[1], 0, 8, 1, 9, 2, 10, 3, 11);
    Lanes hi = __builtin_shufflevector(c[0], c[1], 4, 12, 5, 13, 6, 14, 7, 15);
    store_lanes(&lo, row, 8);
    store_lanes(&hi, row + 8, 8);
}

/// Columns 0…3 of 8 tiles 4 columns apart (32 floats read): lane k of c[j] is row[4k + j].
static inline void load_stride4_columns(const float *row, Lanes c[4]) {
    Lanes q0, q1, q2, q3;
    load_lanes(&q0, row, 8);
    load_lanes(&q1, row + 8, 8);
    load_lanes(&q2, row + 16, 8);
    load_lanes(&q3, row + 24, 8);
    Lanes lo, hi;
#define VK_COLUMN(j)                                                          \
    lo = __builtin_shufflevector(q0, q1, j, j + 4, j + 8, j + 12, j, j, j, j); \
    hi = __builtin_shufflevector(q2, q3, j, j + 4, j + 8, j + 12, j, j, j, j); \
    c[j] = __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 8, 9, 10, 11);
    VK_COLUMN(0) VK_COLUMN(1) VK_COLUMN(2) VK_COLUMN(3)
#undef VK_COLUMN
}

/// The inverse: row[4k + j] = lane k of c[j] (32 floats written).
static inline void store_stride4_columns(const Lanes c[4], float *row) {
    Lanes a = __builtin_shufflevector(c[0], c[1], 0, 8, 1, 9, 2, 10, 3, 11);
    Lanes b = __builtin_shufflevector(c[2], c[3], 0, 8, 1, 9, 2, 10, 3, 11);
    Lanes e = __builtin_shufflevector(c[0], c[1], 4, 12, 5, 13, 6, 14, 7, 15);
    Lanes f = __builtin_shufflevector(c[2], c[3], 4, 12, 5, 13, 6, 14, 7, 15);
    Lanes q[4] = {
        __builtin_shufflevector(a, b, 0, 1, 8, 9, 2, 3, 10, 11),
        __builtin_shufflevector(a, b, 4, 5, 12, 13, 6, 7, 14, 15),
        __builtin_shufflevector(e, f, 0, 1, 8, 9, 2, 3, 10, 11),
        __builtin_shufflevector(e, f, 4, 5, 12, 13, 6, 7, 14, 15),
    };
    for (int k = 0; k < 4; k++) store_lanes(&q[k], row + 8 * k, 8);
}

#endif
