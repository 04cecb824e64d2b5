// Batch norm + ReLU's per-plane loops (UNetKit's Ops/FastPaths/BatchNormReLU.swift runs them,
// one channel per job).
#include "CVectorKernels.h"
#include "Lanes.h"

VK_CLONES
void vk_affine_relu(const float *x, float *y, ptrdiff_t count, float scale, float shift) {
    for (ptrdiff_t i = 0; i < count; i++) {
        float v = x[i] * scale + shift;
        y[i] = v > 0 ? v : 0;
    }
}

VK_CLONES
void vk_bn_relu_backward_sums(const float *dy, const float *y, const float *x, ptrdiff_t count, float mean,
                              float inv_std, double *sum_g, double *sum_gxhat) {
    Lanes block_g = {0}, block_gx = {0};
    double total_g = *sum_g, total_gx = *sum_gxhat;
    for (ptrdiff_t i = 0; i < count; i += 8) {
        ptrdiff_t n = count - i < 8 ? count - i : 8;
        Lanes g, gate, xhat;
        load_lanes(&g, dy + i, n);
        load_lanes(&gate, y + i, n);
        keep_where_positive(&g, &gate);
        load_lanes(&xhat, x + i, n);
        xhat = (xhat - mean) * inv_std;
        block_g += g;
        block_gx += g * xhat;
        if ((i / 8) % 64 == 63) {
            total_g += (double)lane_sum(&block_g);
            total_gx += (double)lane_sum(&block_gx);
            block_g = (Lanes){0};
            block_gx = (Lanes){0};
        }
    }
    *sum_g = total_g + (double)lane_sum(&block_g);
    *sum_gxhat = total_gx + (double)lane_sum(&block_gx);
}

VK_CLONES
void vk_bn_relu_backward_dx(const float *dy, const float *y, const float *x, float *dx, ptrdiff_t count,
                            float mean, float inv_std, float scale, float m, float sum_g, float sum_gxhat,
                            int training) {
    if (training) {
        const float factor = scale / m;
        for (ptrdiff_t i = 0; i < count; i++) {
            float g = y[i] > 0 ? dy[i] : 0;
            float xhat = (x[i] - mean) * inv_std;
            dx[i] = factor * (m * g - sum_g - xhat * sum_gxhat);
        }
    } else {
        for (ptrdiff_t i = 0; i < count; i++) dx[i] = scale * (y[i] > 0 ? dy[i] : 0);
    }
}
