/// Winograd's F(4×4, 3×3): a 4×4 output tile from a 6×6 input patch with 36 multiplications
/// instead of 144 — 2.25 per output against F(2×2, 3×3)'s 4. Its six transforms: the kernel's
/// (G w Gᵀ) and its adjoint are here; the four on tiles (Bᵀ d B, Aᵀ M A and their adjoints) run
/// in C, 8 tiles a vector (`CVectorKernels`, `vk_winograd_f4_*_row`), with the matrices below.
/// `Conv2dWinograd.swift` runs them (the 36 matrix products, chunks, bands) exactly as it runs
/// F(2×2)'s; only the tile differs.
///
/// Interpolation points 0, 1, −1, ½, −2 and ∞ rather than Lavin & Gray's 0, ±1, ±2, ∞: Barabasz
/// et al. ("Error analysis and improving the accuracy of Winograd convolution for deep neural
/// networks", 2020) show that mixing a point with its reciprocal shrinks the float error; here
/// the error over Σ|terms| fell from 14 ε to 4 ε in a float32 simulation (64 channels), and only
/// with it does a whole UNet in training mode stay within the parity tolerance
/// (`ModelParityTests`). The rows of Bᵀ are scaled to integers (G's divided to match):
///
///          ⎡2 −3 −4  3  2  0⎤          ⎡  1/2     0      0  ⎤
///          ⎢0 −2  1  5  2  0⎥          ⎢  1/6    1/6    1/6 ⎥         ⎡1  1  1   1   1  0⎤
///     Bᵀ = ⎢0  2 −5  1  2  0⎥      G = ⎢ −1/6    1/6   −1/6 ⎥    Aᵀ = ⎢0  1 −1  1/2 −2  0⎥
///          ⎢0 −2 −1  2  1  0⎥          ⎢−16/15 −8/15  −4/15 ⎥         ⎢0  1  1  1/4  4  0⎥
///          ⎢0  1 −2 −1  2  0⎥          ⎢ 1/30  −1/15   2/15 ⎥         ⎣0  1 −1  1/8 −8  1⎦
///          ⎣0  2 −3 −4  3  2⎦          ⎣   0      0     1/2 ⎦
///
/// Tile (i, j) of the output (rows 4i…4i+3) reads input rows 4i − p … 4i − p + 5. Point e of the
/// 6×6 tile is e = 6·row + column. Each 2-D transform is a 1-D one on the rows, then on the
/// columns; the lanes of a vector are 8 neighbouring tiles of one row of tiles (or 8 kernels).
///
/// Rounding is still amplified more than with F(2×2)'s entries 0, ±1, ½: the error bound in
/// the tests is 16 times F(2×2)'s (`ConvolutionParityTests`), far below what a wrong transform gives.

typealias Lanes = SIMD8<Float>

// MARK: - The 1-D transforms

/// G g for 3 values → 6 (the kernel transform), 8 kernels at a time.
@inline(__always)
private func g(_ g0: Lanes, _ g1: Lanes, _ g2: Lanes) -> (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes) {
    let o1: Lanes = (g0 + g1 + g2) / 6
    let o2: Lanes = (g1 - g0 - g2) / 6
    let o3: Lanes = -(16 * g0 + 8 * g1 + 4 * g2) / 15
    let o4: Lanes = (g0 - 2 * g1 + 4 * g2) / 30
    return (0.5 * g0, o1, o2, o3, o4, 0.5 * g2)
}

/// Gᵀ u for 6 values → 3: the adjoint of `g` (the kernel gradient), 8 kernels at a time.
@inline(__always)
private func gt(_ u0: Lanes, _ u1: Lanes, _ u2: Lanes, _ u3: Lanes, _ u4: Lanes, _ u5: Lanes) -> (Lanes, Lanes, Lanes) {
    let d12: Lanes = (u1 - u2) / 6, s12: Lanes = (u1 + u2) / 6
    let k0: Lanes = 0.5 * u0 + d12 - 16 * u3 / 15 + u4 / 30
    let k1: Lanes = s12 - 8 * u3 / 15 - u4 / 15
    let k2: Lanes = d12 - 4 * u3 / 15 + 2 * u4 / 15 + 0.5 * u5
    return (k0, k1, k2)
}

// MARK: - Forward

/// U[e][co][ci] = (G w[co, ci] Gᵀ)[e]: `[36, Cout, Cin]` (matrices `winogradPointStride(Cout·Cin)`
/// apart), written into `u` (resized if needed; `WinogradWeightCache` refills its buffer in
/// place). Eight input channels at a time, so each of the 36 results is stored as 8 consecutive
/// floats.
func winogradF4WeightTransform(_ w: [Float], cout: Int, cin: Int, into u: inout [Float]) {
    let plane = winogradPointStride(cout * cin)
    if u.count != 36 * plane { u = uninitializedArray(36 * plane) }
    w.withUnsafeBufferPointer { w in
        u.withSharedBuffer { u in
            parallelFor(cout) { co in
                for ci in stride(from: 0, to: cin, by: 8) {
                    let count = min(8, cin - ci)
                    let k = w.baseAddress! + (co * cin + ci) * 9
                    // Tap j of the kernels of input channels ci, ci + 1, …: lane l is k[9l + j].
                    @inline(__always) func tap(_ j: Int) -> Lanes {
                        if count == 8 { return Lanes(k[j], k[9 + j], k[18 + j], k[27 + j], k[36 + j], k[45 + j], k[54 + j], k[63 + j]) }
                        var v = Lanes()
                        for l in 0..<count { v[l] = k[9 * l + j] }
                        return v
                    }
                    withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 18) { c in
                        // G on each of the kernel's 3 columns: c[6·column + row].
                        for column in 0..<3 {
                            (c[6 * column], c[6 * column + 1], c[6 * column + 2], c[6 * column + 3], c[6 * column + 4],
                             c[6 * column + 5]) = g(tap(column), tap(3 + column), tap(6 + column))
                        }
                        // G on each of the 6 rows of the result.
                        let out = u.base + co * cin + ci
                        for r in 0..<6 {
                            let o = g(c[r], c[6 + r], c[12 + r])
                            store8(o.0, out + (6 * r) * plane, count: count)
                            store8(o.1, out + (6 * r + 1) * plane, count: count)
                            store8(o.2, out + (6 * r + 2) * plane, count: count)
                            store8(o.3, out + (6 * r + 3) * plane, count: count)
                            store8(o.4, out + (6 * r + 4) * plane, count: count)
                            store8(o.5, out + (6 * r + 5) * plane, count: count)
                        }
                    }
                }
            }
        }
    }
}

// MARK: - Backward
//
// The backward pass of a training step runs these on maps of 24×24 and more
// (`WinogradTiling.backwardTile(for:)`); its forward pass stays F(2×2).

/// dw[co, ci] = Gᵀ dU[co][ci] G, the adjoint of the kernel transform: `[Cout, Cin, 3, 3]`.
/// Eight input channels at a time: dU's 36 planes are read 8 consecutive floats at once.
func winogradF4WeightGradientTransform(_ du: [Float], cout: Int, cin: Int) -> [Float] {
    var dw = uninitializedArray(cout * cin * 9)
    let plane = winogradPointStride(cout * cin)
    du.withUnsafeBufferPointer { du in
        dw.withSharedBuffer { dw in
            parallelFor(cout) { co in
                for ci in stride(from: 0, to: cin, by: 8) {
                    let count = min(8, cin - ci)
                    let s = du.baseAddress! + co * cin + ci
                    withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 18) { h in
                        // Gᵀ on each row's 6 columns: h[3r + j].
                        for r in 0..<6 {
                            let u = s + 6 * r * plane
                            (h[3 * r], h[3 * r + 1], h[3 * r + 2]) =
                                gt(load8(u, count: count), load8(u + plane, count: count), load8(u + 2 * plane, count: count),
                                   load8(u + 3 * plane, count: count), load8(u + 4 * plane, count: count),
                                   load8(u + 5 * plane, count: count))
                        }
                        // Gᵀ on the rows of each column j; lane l is kernel (co, ci + l).
                        let out = dw.base + (co * cin + ci) * 9
                        for j in 0..<3 {
                            let k = gt(h[j], h[3 + j], h[6 + j], h[9 + j], h[12 + j], h[15 + j])
                            for l in 0..<count {
                                out[9 * l + j] = k.0[l]; out[9 * l + 3 + j] = k.1[l]; out[9 * l + 6 + j] = k.2[l]
                            }
                        }
                    }
                }
            }
        }
    }
    return dw
}
