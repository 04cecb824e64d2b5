/// Keras' up-convolution `Conv2D(k, 2, padding="same")(UpSampling2D(2)(x))` as one op: nearest
/// ×2 up-sampling, one zero row at the bottom and one zero column at the right ("same" for an
/// even kernel), then a 2×2 convolution — computed on x itself, without the up-sampled image.
///
/// x `[N, Cin, H, W]`, w `[Cout, Cin, 2, 2]`, b `[Cout]` → y `[N, Cout, 2H, 2W]`.
///
/// Output pixel (2i + a, 2j + c) reads up-sampled rows 2i + a + ky and columns 2j + c + kx
/// (ky, kx ∈ {0, 1}), which are input row i + ⌊(a + ky)/2⌋ and column j + ⌊(c + kx)/2⌋. So
/// each of the four phases (a, c) of the output is a small convolution of x with sums of w's
/// taps (w_yx is tap (ky, kx); x is zero below its last row and right of its last column):
///
///     (0, 0)  y[2i, 2j]         = (w00 + w01 + w10 + w11) · x[i, j]
///     (0, 1)  y[2i, 2j + 1]     = (w00 + w10) · x[i, j]  +  (w01 + w11) · x[i, j + 1]
///     (1, 0)  y[2i + 1, 2j]     = (w00 + w01) · x[i, j]  +  (w10 + w11) · x[i + 1, j]
///     (1, 1)  y[2i + 1, 2j + 1] = w00 · x[i, j] + w01 · x[i, j + 1] + w10 · x[i + 1, j] + w11 · x[i + 1, j + 1]
///
/// 9 multiply-adds per input pixel and channel pair instead of the composition's 16, and the
/// products read four shifted copies of x (`col`, `[4·Cin, N·H·W]`) instead of an im2col of the
/// up-sampled image (16 times x). Per phase p with kernel K_p `[Cout, blocks_p·Cin]`:
///
///     forward          Y_p  = K_p · col_p                 [Cout, NHW]
///     backward weight  dK_p = dY_p · col_pᵀ,  dw = the adjoint of the tap sums
///     backward data    dcol = Σ_p K_pᵀ · dY_p,  dx = the adjoint of the shifted copies
///
/// where col_p is the band of col's rows the phase reads (the copies are ordered x[i, j + 1],
/// x[i, j], x[i + 1, j], x[i + 1, j + 1], so each phase's band is contiguous) and Y_p, dY_p hold
/// the phase's pixels of y, dy. Float runs the products through `matrixMultiply` (BLAS, all
/// cores); Double through plain loops, for the finite-difference tests. The composition
/// (`upsampleNearest`, `pad2d`, `conv2d`) computes the same up to float rounding.

/// The shifts (rows down, columns right) of x's four copies in `col`, in order.
private let upConvShifts = [(0, 1), (0, 0), (1, 0), (1, 1)]

/// One phase: output pixels (2i + a, 2j + c), reading copies first..<first + blocks of `col`.
private struct UpConvPhase {
    let a: Int, c: Int, first: Int, blocks: Int
    /// The copy that tap (ky, kx) reads in this phase, counted from `first`.
    func block(ky: Int, kx: Int) -> Int {
        upConvShifts.firstIndex { $0 == ((a + ky) / 2, (c + kx) / 2) }! - first
    }
}

private let upConvPhases = [UpConvPhase(a: 0, c: 0, first: 1, blocks: 1), UpConvPhase(a: 0, c: 1, first: 0, blocks: 2),
                            UpConvPhase(a: 1, c: 0, first: 1, blocks: 2), UpConvPhase(a: 1, c: 1, first: 0, blocks: 4)]

/// Where phase p's kernel starts in the concatenated kernels (`upConvPhaseKernels`): 9·Cout·Cin values in all.
private func upConvKernelOffset(_ p: Int, cout: Int, cin: Int) -> Int {
    upConvPhases[..<p].reduce(0) { $0 + $1.blocks } * cout * cin
}

// MARK: - Forward

/// The four phase kernels K_p `[Cout, blocks_p·Cin]`, concatenated: sums of w's taps.
func upConvPhaseKernels<S: KernelScalar>(_ w: [S], cout: Int, cin: Int) -> [S] {
    var k = [S](repeating: 0, count: 9 * cout * cin)
    let targets = upConvTapTargets(cout: cout, cin: cin)
    w.withUnsafeBufferPointer { w in
        k.withSharedBuffer { k in
            parallelFor(cout) { co in
                for ci in 0..<cin {
                    for tap in 0..<4 {
                        let value = w[(co * cin + ci) * 4 + tap]
                        for (base, row) in targets[tap] { k[base + co * row + ci] += value }
                    }
                }
            }
        }
    }
    return k
}

/// For each tap ky·2 + kx of w: where it goes in each phase kernel, as (offset of the phase
/// kernel plus its block's first column, row length), so K_p[co, ·] gets w[co, ci, tap] at
/// offset + co·row + ci.
private func upConvTapTargets(cout: Int, cin: Int) -> [[(Int, Int)]] {
    (0..<4).map { tap in
        upConvPhases.enumerated().map { p, phase in
            (upConvKernelOffset(p, cout: cout, cin: cin) + phase.block(ky: tap / 2, kx: tap % 2) * cin, phase.blocks * cin)
        }
    }
}

/// col `[4·Cin, N·H·W]`: row (s·Cin + ci), column (n·H + i)·W + j holds x[n, ci, i + dr, j + dc]
/// for the s-th shift (dr, dc), 0 past the image.
func upConvShiftedCopies<S: KernelScalar>(_ x: [S], batch: Int, channels: Int, height: Int, width: Int) -> [S] {
    let (plane, columns) = (height * width, batch * height * width)
    var col = uninitializedArray(4 * channels * columns, of: S.self)
    x.withUnsafeBufferPointer { x in
        col.withSharedBuffer { col in
            parallelFor(4 * channels) { row in
                let (dr, dc) = upConvShifts[row / channels]
                let ci = row % channels
                for n in 0..<batch {
                    let source = x.baseAddress! + (n * channels + ci) * plane
                    let target = col.base + row * columns + n * plane
                    for i in 0..<height {
                        let out = target + i * width
                        guard i + dr < height else { out.update(repeating: 0, count: width); continue }
                        out.update(from: source + (i + dr) * width + dc, count: width - dc)
                        if dc == 1 { out[width - 1] = 0 }
                    }
                }
            }
        }
    }
    return col
}

/// y `[N, Cout, 2H, 2W]` for x `[N, Cin, H, W]`, w `[Cout, Cin, 2, 2]`, b `[Cout]`.
func upConvForward<S: KernelScalar>(_ x: [S], _ w: [S], _ b: [S]?, batch: Int, cin: Int, cout: Int,
                                    height: Int, width: Int) -> [S] {
    let columns = batch * height * width
    let kernels = upConvPhaseKernels(w, cout: cout, cin: cin)
    let col = upConvShiftedCopies(x, batch: batch, channels: cin, height: height, width: width)
    var phases = uninitializedArray(4 * cout * columns, of: S.self)
    kernels.withUnsafeBufferPointer { k in
        col.withUnsafeBufferPointer { col in
            phases.withUnsafeMutableBufferPointer { out in
                for (p, phase) in upConvPhases.enumerated() {
                    upConvProduct(m: cout, n: columns, k: phase.blocks * cin,
                                  k.baseAddress! + upConvKernelOffset(p, cout: cout, cin: cin), lda: phase.blocks * cin,
                                  col.baseAddress! + phase.first * cin * columns, ldb: columns,
                                  accumulate: false, out.baseAddress! + p * cout * columns, ldc: columns)
                }
            }
        }
    }
    return upConvInterleave(phases, bias: b, batch: batch, channels: cout, height: height, width: width)
}

/// The four phases `[4, C, N·H·W]` woven into y `[N, C, 2H, 2W]` (+ bias).
private func upConvInterleave<S: KernelScalar>(_ phases: [S], bias: [S]?, batch: Int, channels: Int,
                                               height: Int, width: Int) -> [S] {
    let (plane, columns) = (height * width, batch * height * width)
    var y = uninitializedArray(phases.count, of: S.self)
    phases.withUnsafeBufferPointer { phases in
        y.withSharedBuffer { y in
            parallelFor(batch * channels) { job in
                let (n, co) = (job / channels, job % channels)
                let shift = bias?[co] ?? 0
                let out = y.base + job * 4 * plane
                for (p, phase) in upConvPhases.enumerated() {
                    let source = phases.baseAddress! + (p * channels + co) * columns + n * plane
                    for i in 0..<height {
                        let row = out + (2 * i + phase.a) * 2 * width + phase.c
                        for j in 0..<width { row[2 * j] = source[i * width + j] + shift }
                    }
                }
            }
        }
    }
    return y
}

// MARK: - Backward

/// dy `[N, C, 2H, 2W]` split into its four phases `[4, C, N·H·W]` (the adjoint of `upConvInterleave`).
private func upConvDeinterleave<S: KernelScalar>(_ dy: [S], batch: Int, channels: Int, height: Int, width: Int) -> [S] {
    let (plane, columns) = (height * width, batch * height * width)
    var phases = uninitializedArray(dy.count, of: S.self)
    dy.withUnsafeBufferPointer { dy in
        phases.withSharedBuffer { phases in
            parallelFor(batch * channels) { job in
                let (n, co) = (job / channels, job % channels)
                let source = dy.baseAddress! + job * 4 * plane
                for (p, phase) in upConvPhases.enumerated() {
                    let target = phases.base + (p * channels + co) * columns + n * plane
                    for i in 0..<height {
                        let row = source + (2 * i + phase.a) * 2 * width + phase.c
                        for j in 0..<width { target[i * width + j] = row[2 * j] }
                    }
                }
            }
        }
    }
    return phases
}

/// dw `[Cout, Cin, 2, 2]` from the phase kernels' gradients: each tap collects the gradient of
/// every phase-kernel entry it was summed into (the adjoint of `upConvPhaseKernels`).
func upConvWeightGradient<S: KernelScalar>(_ dk: [S], cout: Int, cin: Int) -> [S] {
    var dw = uninitializedArray(cout * cin * 4, of: S.self)
    let targets = upConvTapTargets(cout: cout, cin: cin)
    dk.withUnsafeBufferPointer { dk in
        dw.withSharedBuffer { dw in
            parallelFor(cout) { co in
                for ci in 0..<cin {
                    for tap in 0..<4 {
                        var sum: S = 0
                        for (base, row) in targets[tap] { sum += dk[base + co * row + ci] }
                        dw[(co * cin + ci) * 4 + tap] = sum
                    }
                }
            }
        }
    }
    return dw
}

/// dx `[N, Cin, H, W]` from dcol `[4·Cin, N·H·W]`: each copy's gradient shifted back and summed
/// (the adjoint of `upConvShiftedCopies`).
func upConvShiftedCopiesBackward<S: KernelScalar>(_ dcol: [S], batch: Int, channels: Int, height: Int, width: Int) -> [S] {
    let (plane, columns) = (height * width, batch * height * width)
    var dx = [S](repeating: 0, count: batch * channels * plane)
    dcol.withUnsafeBufferPointer { dcol in
        dx.withSharedBuffer { dx in
            parallelFor(channels) { ci in
                for n in 0..<batch {
                    let target = dx.base + (n * channels + ci) * plane
                    for (s, (dr, dc)) in upConvShifts.enumerated() {
                        let source = dcol.baseAddress! + (s * channels + ci) * columns + n * plane
                        // Copy s read x[i + dr, j + dc] into its column (i, j).
                        for i in dr..<height {
                            let from = source + (i - dr) * width, to = target + i * width + dc
                            for j in 0..<(width - dc) { to[j] += from[j] }
                        }
                    }
                }
            }
        }
    }
    return dx
}

/// dx, dw, db for dy `[N, Cout, 2H, 2W]` and the forward's x and w. The phase kernels and the
/// shifted copies are made again from w and x (the graph keeps only x, not 4 × x).
func upConvBackward<S: KernelScalar>(_ dy: [S], _ x: [S], _ w: [S], batch: Int, cin: Int, cout: Int,
                                     height: Int, width: Int) -> (dx: [S], dw: [S], db: [S]) {
    let columns = batch * height * width
    let kernels = upConvPhaseKernels(w, cout: cout, cin: cin)
    let dphases = upConvDeinterleave(dy, batch: batch, channels: cout, height: height, width: width)
    let col = upConvShiftedCopies(x, batch: batch, channels: cin, height: height, width: width)
    var dk = uninitializedArray(9 * cout * cin, of: S.self)
    var dcol = uninitializedArray(4 * cin * columns, of: S.self)
    kernels.withUnsafeBufferPointer { k in
        dphases.withUnsafeBufferPointer { dy in
            col.withUnsafeBufferPointer { col in
                dk.withUnsafeMutableBufferPointer { dk in
                    dcol.withUnsafeMutableBufferPointer { dcol in
                        // Phase (1, 1) reads every copy, so its product writes all of dcol first.
                        for p in [3, 0, 1, 2] {
                            let phase = upConvPhases[p], kp = upConvKernelOffset(p, cout: cout, cin: cin)
                            let (rows, dyp) = (phase.blocks * cin, dy.baseAddress! + p * cout * columns)
                            upConvProduct(transB: true, m: cout, n: rows, k: columns, dyp, lda: columns,
                                          col.baseAddress! + phase.first * cin * columns, ldb: columns,
                                          accumulate: false, dk.baseAddress! + kp, ldc: rows)
                            upConvProduct(transA: true, m: rows, n: columns, k: cout, k.baseAddress! + kp, lda: rows,
                                          dyp, ldb: columns, accumulate: p != 3,
                                          dcol.baseAddress! + phase.first * cin * columns, ldc: columns)
                        }
                    }
                }
            }
        }
    }
    return (upConvShiftedCopiesBackward(dcol, batch: batch, channels: cin, height: height, width: width),
            upConvWeightGradient(dk, cout: cout, cin: cin),
            conv2dBiasBackward(dy, channels: cout, batch: batch))
}

/// C = op(A)·op(B) (+ C when `accumulate`), row-major as `matrixMultiply`: BLAS on all cores
/// for Float, plain loops for Double.
private func upConvProduct<S: KernelScalar>(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                                            _ a: UnsafePointer<S>, lda: Int, _ b: UnsafePointer<S>, ldb: Int,
                                            accumulate: Bool, _ c: UnsafeMutablePointer<S>, ldc: Int) {
    if S.self == Float.self {
        let float = { (p: UnsafePointer<S>) in UnsafeRawPointer(p).assumingMemoryBound(to: Float.self) }
        matrixMultiply(transA: transA, transB: transB, m: m, n: n, k: k, float(a), lda: lda, float(b), ldb: ldb,
                       beta: accumulate ? 1 : 0, UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), ldc: ldc)
        return
    }
    for i in 0..<m {
        for j in 0..<n {
            var sum: S = accumulate ? c[i * ldc + j] : 0
            for l in 0..<k {
                sum += (transA ? a[l * lda + i] : a[i * lda + l]) * (transB ? b[j * ldb + l] : b[l * ldb + j])
            }
            c[i * ldc + j] = sum
        }
    }
}

// MARK: - Differentiable op

/// Differentiable Keras up-convolution: nearest ×2, zero row and column at the bottom and right,
/// 2×2 convolution. x `[N, Cin, H, W]`, weight `[Cout, Cin, 2, 2]`, bias `[Cout]` → `[N, Cout, 2H, 2W]`.
/// The same as `conv2d(pad2d(upsampleNearest(x), left: 0, right: 1, top: 0, bottom: 1), weight:, bias:)`.
public func upsampleNearestConv2x2(_ input: Variable, weight: Variable, bias: Variable? = nil) throws -> Variable {
    let (x, w) = (input.value, weight.value)
    try requireRank(x, 4, "input", "N×C×H×W")
    let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    guard w.shape.count == 4, w.shape[1] == cin, w.shape[2] == 2, w.shape[3] == 2 else {
        throw ShapeError("the up-convolution expected a weight of shape [out, \(cin), 2, 2] for input"
                         + "\(shapeString(x.shape)), but got \(shapeString(w.shape))")
    }
    let cout = w.shape[0]
    if let bias, bias.shape != [cout] {
        throw ShapeError("expected bias of shape [\(cout)] for weight \(shapeString(w.shape)), "
                         + "but got bias of shape \(shapeString(bias.shape))")
    }
    let y = upConvForward(x.scalars, w.scalars, bias?.value.scalars, batch: n, cin: cin, cout: cout, height: h, width: wd)
    var parents = [input, weight]
    if let bias { parents.append(bias) }
    return Variable(Tensor(unchecked: [n, cout, 2 * h, 2 * wd], y), parents: parents) { dy in
        let g = upConvBackward(dy.scalars, x.scalars, w.scalars, batch: n, cin: cin, cout: cout, height: h, width: wd)
        return [Tensor(unchecked: x.shape, g.dx), Tensor(unchecked: w.shape, g.dw), Tensor(unchecked: [cout], g.db)]
    }
}
