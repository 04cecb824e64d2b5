/// The six transforms of Winograd's F(4×4, 3×3) (Lavin & Gray, 2016; interpolation points
/// 0, ±1, ±2, ∞): a 4×4 output tile from a 6×6 input patch with 36 multiplications instead of
/// 144 — 2.25 per output against F(2×2, 3×3)'s 4. `Conv2dWinograd.swift` runs them (the 36
/// matrix products, chunks, bands) exactly as it runs F(2×2)'s; only the tile differs.
///
///          ⎡4  0 −5  0  1  0⎤          ⎡ 1/4    0     0  ⎤
///          ⎢0 −4 −4  1  1  0⎥          ⎢−1/6  −1/6  −1/6 ⎥         ⎡1  1  1  1  1  0⎤
///     Bᵀ = ⎢0  4 −4 −1  1  0⎥      G = ⎢−1/6   1/6  −1/6 ⎥    Aᵀ = ⎢0  1 −1  2 −2  0⎥
///          ⎢0 −2 −1  2  1  0⎥          ⎢1/24  1/12   1/6 ⎥         ⎢0  1  1  4  4  0⎥
///          ⎢0  2 −1 −2  1  0⎥          ⎢1/24 −1/12   1/6 ⎥         ⎣0  1 −1  8 −8  1⎦
///          ⎣0  4  0 −5  0  1⎦          ⎣  0     0     1  ⎦
///
/// Tile (i, j) of the output (rows 4i…4i+3) reads input rows 4i − p … 4i − p + 5. Point e of the
/// 6×6 tile is e = 6·row + column. Each 2-D transform is a 1-D one on the rows, then on the
/// columns; the lanes of a `SIMD8` are 8 neighbouring tiles of one row of tiles.
///
/// The entries up to 8 amplify rounding more than F(2×2)'s 0, ±1, ½ do: the error bound in
/// the tests is 16 times F(2×2)'s (`ConvolutionParityTests`), still far below what a wrong
/// transform gives.

typealias Lanes = SIMD8<Float>

// MARK: - The 1-D transforms

/// Bᵀ d for 6 values (the input transform).
@inline(__always)
private func bt(_ d0: Lanes, _ d1: Lanes, _ d2: Lanes, _ d3: Lanes, _ d4: Lanes, _ d5: Lanes)
    -> (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes) {
    let s12 = d1 + d2, t12 = d1 - d2
    return (4 * d0 - 5 * d2 + d4, (d3 + d4) - 4 * s12, (d4 - d3) + 4 * t12,
            2 * (d3 - d1) + (d4 - d2), 2 * (d1 - d3) + (d4 - d2), 4 * d1 - 5 * d3 + d5)
}

/// B v for 6 values: the adjoint of `bt` (the input gradient).
@inline(__always)
private func b(_ v0: Lanes, _ v1: Lanes, _ v2: Lanes, _ v3: Lanes, _ v4: Lanes, _ v5: Lanes)
    -> (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes) {
    let s12 = v1 + v2, t12 = v2 - v1, s34 = v3 + v4, t34 = v3 - v4
    return (4 * v0, 4 * (t12 + v5) - 2 * t34, -5 * v0 - 4 * s12 - s34, 2 * t34 - t12 - 5 * v5,
            v0 + s12 + s34, v5)
}

/// Aᵀ m for 6 values → 4 (the output transform).
@inline(__always)
private func at(_ m0: Lanes, _ m1: Lanes, _ m2: Lanes, _ m3: Lanes, _ m4: Lanes, _ m5: Lanes)
    -> (Lanes, Lanes, Lanes, Lanes) {
    let s12 = m1 + m2, t12 = m1 - m2, s34 = m3 + m4, t34 = m3 - m4
    return (m0 + s12 + s34, t12 + 2 * t34, s12 + 4 * s34, t12 + 8 * t34 + m5)
}

/// A y for 4 values → 6: the adjoint of `at` (the output gradient).
@inline(__always)
private func a(_ y0: Lanes, _ y1: Lanes, _ y2: Lanes, _ y3: Lanes) -> (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes) {
    let even = y0 + y2, odd = y1 + y3, even4 = y0 + 4 * y2, odd8 = 2 * y1 + 8 * y3
    return (y0, even + odd, even - odd, even4 + odd8, even4 - odd8, y3)
}

/// G g for 3 values → 6 (the kernel transform), one kernel at a time.
@inline(__always)
private func g(_ g0: Float, _ g1: Float, _ g2: Float) -> SIMD8<Float> {
    let outer = g0 + g2
    return SIMD8(0.25 * g0, -(outer + g1) / 6, -(outer - g1) / 6,
                 g0 / 24 + g1 / 12 + g2 / 6, g0 / 24 - g1 / 12 + g2 / 6, g2, 0, 0)
}

/// Gᵀ u for 6 values → 3: the adjoint of `g` (the kernel gradient), 8 kernels at a time.
@inline(__always)
private func gt(_ u0: Lanes, _ u1: Lanes, _ u2: Lanes, _ u3: Lanes, _ u4: Lanes, _ u5: Lanes) -> (Lanes, Lanes, Lanes) {
    let s12 = u1 + u2, s34 = u3 + u4
    return (0.25 * u0 - s12 / 6 + s34 / 24, (u2 - u1) / 6 + (u3 - u4) / 12, (s34 - s12) / 6 + u5)
}

/// Columns 0…3 of 8 tiles 4 columns apart: lanes k of the results are line[4k], line[4k + 1],
/// line[4k + 2], line[4k + 3] (32 floats read).
@inline(__always)
private func stride4Columns(_ line: UnsafePointer<Float>) -> (Lanes, Lanes, Lanes, Lanes) {
    let v = UnsafeRawPointer(line).loadUnaligned(as: SIMD32<Float>.self)
    @inline(__always) func column(_ s: Int) -> Lanes {
        Lanes(v[s], v[s + 4], v[s + 8], v[s + 12], v[s + 16], v[s + 20], v[s + 24], v[s + 28])
    }
    return (column(0), column(1), column(2), column(3))
}

/// The 6 columns of 8 tiles' patches on one row (tile k: line[4k] … line[4k + 5]).
@inline(__always)
private func patchColumns6(_ line: UnsafePointer<Float>) -> (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes) {
    let (c0, c1, c2, c3) = stride4Columns(line)
    let (c4, c5, _, _) = stride4Columns(line + 4)
    return (c0, c1, c2, c3, c4, c5)
}

// MARK: - Forward

/// U[e][co][ci] = (G w[co, ci] Gᵀ)[e]: `[36, Cout, Cin]`, written into `u` (resized if needed;
/// reusing the previous call's buffer spares the fresh pages of a new one).
func winogradF4WeightTransform(_ w: [Float], cout: Int, cin: Int, into u: inout [Float]) {
    if u.count != 36 * cout * cin { u = uninitializedArray(36 * cout * cin) }
    let plane = cout * cin
    w.withUnsafeBufferPointer { w in
        u.withSharedBuffer { u in
            parallelFor(cout) { co in
                for ci in 0..<cin {
                    let k = w.baseAddress! + (co * cin + ci) * 9
                    let (c0, c1, c2) = (g(k[0], k[3], k[6]), g(k[1], k[4], k[7]), g(k[2], k[5], k[8]))
                    let out = u.base + co * cin + ci
                    for r in 0..<6 {
                        let row = g(c0[r], c1[r], c2[r])
                        for s in 0..<6 { out[(6 * r + s) * plane] = row[s] }
                    }
                }
            }
        }
    }
}

/// V[e][c][t] = (Bᵀ d_t B)[e] for 8 tiles whose patches start at `line` (rows `pw` apart):
/// 36 stores of 8 lanes (the first `count`) at `t + e·eStride`.
@inline(__always)
func winogradF4InputTiles(_ line: UnsafePointer<Float>, pw: Int, into t: UnsafeMutablePointer<Float>, eStride: Int,
                          count: Int) {
    withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 36) { h in
        // d B on each of the 6 rows.
        for r in 0..<6 {
            let c = patchColumns6(line + r * pw)
            let o = bt(c.0, c.1, c.2, c.3, c.4, c.5)
            (h[6 * r], h[6 * r + 1], h[6 * r + 2], h[6 * r + 3], h[6 * r + 4], h[6 * r + 5]) = o
        }
        // Bᵀ (·) on each column.
        for j in 0..<6 {
            let o = bt(h[j], h[6 + j], h[12 + j], h[18 + j], h[24 + j], h[30 + j])
            store8(o.0, t + j * eStride, count: count)
            store8(o.1, t + (6 + j) * eStride, count: count)
            store8(o.2, t + (12 + j) * eStride, count: count)
            store8(o.3, t + (18 + j) * eStride, count: count)
            store8(o.4, t + (24 + j) * eStride, count: count)
            store8(o.5, t + (30 + j) * eStride, count: count)
        }
    }
}

/// The 4×4 outputs Aᵀ M A of 8 tiles (M read at `s + e·eStride`), written through `write(row,
/// column, lanes)` with row, column in 0..<4.
@inline(__always)
func winogradF4OutputTiles(_ s: UnsafePointer<Float>, eStride: Int, _ write: (Int, Int, Lanes) -> Void) {
    withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 24) { h in
        // M A on each of the 6 rows.
        for r in 0..<6 {
            let m = s + 6 * r * eStride
            let o = at(load8(m), load8(m + eStride), load8(m + 2 * eStride), load8(m + 3 * eStride),
                       load8(m + 4 * eStride), load8(m + 5 * eStride))
            (h[4 * r], h[4 * r + 1], h[4 * r + 2], h[4 * r + 3]) = o
        }
        // Aᵀ (·) on each of the 4 columns.
        for j in 0..<4 {
            let o = at(h[j], h[4 + j], h[8 + j], h[12 + j], h[16 + j], h[20 + j])
            write(0, j, o.0); write(1, j, o.1); write(2, j, o.2); write(3, j, o.3)
        }
    }
}

// MARK: - Backward

/// dM[e][co][t] = (A dy_t Aᵀ)[e] for 8 tiles whose 4×4 output gradients start at `line` (rows
/// `pw` apart): 36 stores at `t + e·eStride`.
@inline(__always)
func winogradF4OutputGradientTiles(_ line: UnsafePointer<Float>, pw: Int, into t: UnsafeMutablePointer<Float>,
                                   eStride: Int, count: Int) {
    withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 24) { h in
        // dy Aᵀ on each of the 4 rows.
        for r in 0..<4 {
            let c = stride4Columns(line + r * pw)
            let o = a(c.0, c.1, c.2, c.3)
            (h[6 * r], h[6 * r + 1], h[6 * r + 2], h[6 * r + 3], h[6 * r + 4], h[6 * r + 5]) = o
        }
        // A (·) on each of the 6 columns.
        for j in 0..<6 {
            let o = a(h[j], h[6 + j], h[12 + j], h[18 + j])
            store8(o.0, t + j * eStride, count: count)
            store8(o.1, t + (6 + j) * eStride, count: count)
            store8(o.2, t + (12 + j) * eStride, count: count)
            store8(o.3, t + (18 + j) * eStride, count: count)
            store8(o.4, t + (24 + j) * eStride, count: count)
            store8(o.5, t + (30 + j) * eStride, count: count)
        }
    }
}

/// Adds B dV Bᵀ of 8 tiles (dV read at `s + e·eStride`) onto their overlapping 6×6 patches,
/// which start at `line` (rows `pw` apart); only the first `count` tiles.
@inline(__always)
func winogradF4InputGradientTiles(_ s: UnsafePointer<Float>, eStride: Int, into line: UnsafeMutablePointer<Float>,
                                  pw: Int, count: Int) {
    withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 42) { h in
        // (·) Bᵀ on each of the 6 rows.
        for r in 0..<6 {
            let v = s + 6 * r * eStride
            let o = b(load8(v), load8(v + eStride), load8(v + 2 * eStride), load8(v + 3 * eStride),
                      load8(v + 4 * eStride), load8(v + 5 * eStride))
            (h[6 * r], h[6 * r + 1], h[6 * r + 2], h[6 * r + 3], h[6 * r + 4], h[6 * r + 5]) = o
        }
        // B (·) on each of the 6 columns, added into the patch.
        for j in 0..<6 {
            (h[36], h[37], h[38], h[39], h[40], h[41]) = b(h[j], h[6 + j], h[12 + j], h[18 + j], h[24 + j], h[30 + j])
            for r in 0..<6 {
                let (target, value) = (line + r * pw + j, h[36 + r])
                for k in 0..<count { target[4 * k] += value[k] }
            }
        }
    }
}

/// dw[co, ci] = Gᵀ dU[co][ci] G, the adjoint of the kernel transform: `[Cout, Cin, 3, 3]`.
/// Eight input channels at a time: dU's 36 planes are read 8 consecutive floats at once.
func winogradF4WeightGradientTransform(_ du: [Float], cout: Int, cin: Int) -> [Float] {
    var dw = uninitializedArray(cout * cin * 9)
    let plane = cout * cin
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
