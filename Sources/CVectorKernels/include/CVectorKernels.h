// CVectorKernels: the fast paths' element-wise inner loops in C, each compiled three times —
// for AVX-512 (x86-64-v4), for AVX2 + FMA (x86-64-v3) and for the baseline — with the loader
// picking the widest one the CPU runs (GCC/Clang function multi-versioning, `target_clones`).
// Swift has no per-function target attribute, and UNetKit's Swift is compiled for the baseline
// (SSE2), so its SIMD8 code runs as pairs of 4-float instructions.
//
// Every kernel does the same arithmetic, in the same order, as the Swift code it replaced (no
// fused multiply-add: `FP_CONTRACT OFF`; reductions keep 8 lanes summed in lane order), so the
// three versions, and the Swift code, give the same bits. Callers (UNetKit's FastPaths/) own the
// shapes: every pointer covers what the doc comment says it reads or writes.
#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// y[i] = max(0, x[i]·scale + shift) for i < count (NaN to 0).
void vk_affine_relu(const float *x, float *y, ptrdiff_t count, float scale, float shift);

/// The sums of batch norm + ReLU's backward over one plane of `count` values, added to
/// `*sum_g` and `*sum_gxhat`: g = dy where y > 0 (else 0), x̂ = (x − mean)·inv_std; Σg and Σg·x̂
/// in 8 float lanes, each block of 512 values (and the plane's last block) carried in Double.
void vk_bn_relu_backward_sums(const float *dy, const float *y, const float *x, ptrdiff_t count, float mean,
                              float inv_std, double *sum_g, double *sum_gxhat);

/// dx over one plane: g as above; training: dx = scale / m · (m·g − sum_g − x̂·sum_gxhat),
/// evaluation (`training` 0): dx = scale · g.
void vk_bn_relu_backward_dx(const float *dy, const float *y, const float *x, float *dx, ptrdiff_t count,
                            float mean, float inv_std, float scale, float m, float sum_g, float sum_gxhat,
                            int training);

/// One row of Winograd F(2×2, 3×3) input tiles: tile j (< tiles) reads the 4×4 patch at
/// patch[2j …] of rows patch, patch + pw, …, patch + 3·pw and writes its 16 values Bᵀ d B to
/// out[e·e_stride + j], e = 0…15. Reads up to 2·roundUp(tiles, 8) + 10 floats of each row.
void vk_winograd_f2_input_row(const float *patch, ptrdiff_t pw, float *out, ptrdiff_t e_stride, ptrdiff_t tiles);

/// One row of Winograd F(4×4, 3×3) input tiles (the transform of WinogradF4Transforms.swift):
/// tile j reads the 6×6 patch at patch[4j …] of 6 rows pw apart and writes its 36 values to
/// out[e·e_stride + j]. Reads up to 4·roundUp(tiles, 8) + 36 floats of each row.
void vk_winograd_f4_input_row(const float *patch, ptrdiff_t pw, float *out, ptrdiff_t e_stride, ptrdiff_t tiles);

/// One row of Winograd F(2×2, 3×3) output tiles: tile j's 16 products m[e·e_stride + j] become
/// its 2×2 outputs Aᵀ M A + bias, then max(0, v·affine[0] + affine[1]) when `affine` is not
/// NULL (batch norm + ReLU folded in), written to rows[r·pw + 2j + s] (r, s < 2). Reads and
/// writes whole groups of 8 tiles: m has 8 tiles of slack past `tiles`, rows ≥ 2·roundUp(tiles, 8).
void vk_winograd_f2_output_row(const float *m, ptrdiff_t e_stride, ptrdiff_t tiles, float *rows, ptrdiff_t pw,
                               float bias, const float *affine);

/// The same for F(4×4, 3×3): 36 products per tile, outputs rows[r·pw + 4j + s] (r, s < 4).
void vk_winograd_f4_output_row(const float *m, ptrdiff_t e_stride, ptrdiff_t tiles, float *rows, ptrdiff_t pw,
                               float bias, const float *affine);

/// 2×2 max-pooling, stride 2, of one height × width plane: y and argmax have (height/2)·(width/2)
/// entries; argmax is the flat index in the plane of each window's maximum — the first on ties,
/// the last NaN if any (PyTorch's rule).
void vk_max_pool_2x2(const float *x, ptrdiff_t height, ptrdiff_t width, float *y, int32_t *argmax);

/// One row of F(2×2) output-gradient tiles: tile j reads the 2×2 gradient at patch[2j …] of rows
/// patch and patch + pw and writes its 16 values A dy Aᵀ to out[e·e_stride + j]. Reads
/// 2·roundUp(tiles, 8) floats of each row.
void vk_winograd_f2_output_gradient_row(const float *patch, ptrdiff_t pw, float *out, ptrdiff_t e_stride,
                                        ptrdiff_t tiles);

/// The same for F(4×4): the 4×4 gradient at patch[4j …] of 4 rows, 36 values per tile. Reads
/// 4·roundUp(tiles, 8) floats of each row.
void vk_winograd_f4_output_gradient_row(const float *patch, ptrdiff_t pw, float *out, ptrdiff_t e_stride,
                                        ptrdiff_t tiles);

/// One row of F(2×2) input-gradient tiles: adds B dV Bᵀ of tile j (dv[e·e_stride + j], 16
/// values; read in whole groups of 8 tiles, so dv has 8 tiles of slack) onto the 4×4 patch at
/// patch[2j …] of rows patch … patch + 3·pw. Neighbouring patches overlap; each position gets
/// its terms in the order of tiles. Writes 2·tiles + 2 floats of each row.
void vk_winograd_f2_input_gradient_row(const float *dv, ptrdiff_t e_stride, ptrdiff_t tiles, float *patch,
                                       ptrdiff_t pw);

/// The same for F(4×4): 36 values per tile onto the 6×6 patch at patch[4j …] of 6 rows. Writes
/// 4·tiles + 2 floats of each row.
void vk_winograd_f4_input_gradient_row(const float *dv, ptrdiff_t e_stride, ptrdiff_t tiles, float *patch,
                                       ptrdiff_t pw);

/// F(2×2)'s kernel transform for one output channel: w holds its cin kernels of 3×3, and
/// u[e·plane + ci] = (G w[ci] Gᵀ)[e] for e < 16 (u points at the channel's first entry of the
/// `[16, Cout, Cin]` result; plane: floats from one of its 16 matrices to the next).
void vk_winograd_f2_weight_transform(const float *w, ptrdiff_t cin, float *u, ptrdiff_t plane);

#endif
