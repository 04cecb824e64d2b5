/// 2-D convolution as im2col + `cblas_sgemm` — the fast path training uses.
///
/// Same arithmetic and shapes as `Conv2dNaive.swift`: x `[N, Cin, H, W]`,
/// w `[Cout, Cin, kH, kW]`, b `[Cout]`, y `[N, Cout, Hout, Wout]`. Per image n:
///
///     forward          y_n  = w · col(x_n) + b             [Cout, P] = [Cout, K]·[K, P]
///     backward weight  dw  += dy_n · col(x_n)ᵀ             [Cout, K] = [Cout, P]·[P, K]
///     backward data    dx_n = col2im(wᵀ · dy_n)            [K, P]    = [K, Cout]·[Cout, P]
///
/// with K = Cin·kH·kW and P = Hout·Wout. A 1×1 convolution with stride 1 and no padding
/// needs no im2col: col(x_n) is x_n itself.

/// Forward: returns y.
func conv2dBLASForward(_ x: [Float], _ w: [Float], _ b: [Float]?, _ g: ConvGeometry) -> [Float] {
    let (k, p) = (g.inChannels * g.kernelHeight * g.kernelWidth, g.outHeight * g.outWidth)
    // Every element of y and col is written below (bias fill or GEMM with beta 0; im2col), so no zero fill.
    var y = uninitializedArray(g.batch * g.outChannels * p)
    let direct = g.isPointwise
    var col = uninitializedArray(direct ? 0 : k * p)
    x.withUnsafeBufferPointer { x in
        w.withUnsafeBufferPointer { w in
            y.withUnsafeMutableBufferPointer { y in
                col.withUnsafeMutableBufferPointer { col in
                    for n in 0..<g.batch {
                        let xn = x.baseAddress! + n * g.inChannels * g.height * g.width
                        let yn = y.baseAddress! + n * g.outChannels * p
                        if let b {
                            for co in 0..<g.outChannels { (yn + co * p).update(repeating: b[co], count: p) }
                        }
                        let source: UnsafePointer<Float>
                        if direct { source = xn } else {
                            im2col(xn, col.baseAddress!, channels: g.inChannels, g)
                            source = UnsafePointer(col.baseAddress!)
                        }
                        matrixMultiply(m: g.outChannels, n: p, k: k, w.baseAddress!, lda: k, source, ldb: p,
                                       beta: b == nil ? 0 : 1, yn, ldc: p)
                    }
                }
            }
        }
    }
    return y
}

/// Backward, data part: returns dL/dx for dL/dy.
func conv2dBLASBackwardData(_ dy: [Float], _ w: [Float], _ g: ConvGeometry) -> [Float] {
    let (k, p) = (g.inChannels * g.kernelHeight * g.kernelWidth, g.outHeight * g.outWidth)
    let imageSize = g.inChannels * g.height * g.width
    let direct = g.isPointwise
    // col2im adds into dx, so it starts at zero; a pointwise GEMM (beta 0) writes all of it.
    var dx = direct ? uninitializedArray(g.batch * imageSize) : [Float](repeating: 0, count: g.batch * imageSize)
    var dcol = uninitializedArray(direct ? 0 : k * p)
    dy.withUnsafeBufferPointer { dy in
        w.withUnsafeBufferPointer { w in
            dx.withUnsafeMutableBufferPointer { dx in
                dcol.withUnsafeMutableBufferPointer { dcol in
                    for n in 0..<g.batch {
                        let dxn = dx.baseAddress! + n * imageSize
                        let target = direct ? dxn : dcol.baseAddress!
                        matrixMultiply(transA: true, m: k, n: p, k: g.outChannels, w.baseAddress!, lda: k,
                                       dy.baseAddress! + n * g.outChannels * p, ldb: p, beta: 0, target, ldc: p)
                        if !direct { col2im(dcol.baseAddress!, dxn, channels: g.inChannels, g) }
                    }
                }
            }
        }
    }
    return dx
}

/// Backward, weight part: returns dL/dw for dL/dy and the forward input x.
func conv2dBLASBackwardWeight(_ dy: [Float], _ x: [Float], _ g: ConvGeometry) -> [Float] {
    let (k, p) = (g.inChannels * g.kernelHeight * g.kernelWidth, g.outHeight * g.outWidth)
    var dw = [Float](repeating: 0, count: g.outChannels * k)
    let direct = g.isPointwise
    var col = uninitializedArray(direct ? 0 : k * p)
    dy.withUnsafeBufferPointer { dy in
        x.withUnsafeBufferPointer { x in
            dw.withUnsafeMutableBufferPointer { dw in
                col.withUnsafeMutableBufferPointer { col in
                    for n in 0..<g.batch {
                        let xn = x.baseAddress! + n * g.inChannels * g.height * g.width
                        let source: UnsafePointer<Float>
                        if direct { source = xn } else {
                            im2col(xn, col.baseAddress!, channels: g.inChannels, g)
                            source = UnsafePointer(col.baseAddress!)
                        }
                        matrixMultiply(transB: true, m: g.outChannels, n: k, k: p,
                                       dy.baseAddress! + n * g.outChannels * p, lda: p, source, ldb: p,
                                       beta: 1, dw.baseAddress!, ldc: k)
                    }
                }
            }
        }
    }
    return dw
}

/// dL/db: the sum of dy over batch and pixels, per output channel (channels on all cores).
func conv2dBiasBackward<S: KernelScalar>(_ dy: [S], channels: Int, batch: Int) -> [S] {
    let p = dy.count / max(1, channels * batch)
    var db = [S](repeating: 0, count: channels)
    dy.withUnsafeBufferPointer { dy in
        db.withSharedBuffer { db in
            parallelFor(channels) { c in
                var total: S = 0
                for n in 0..<batch { total += planeSum(dy.baseAddress! + (n * channels + c) * p, count: p) }
                db[c] = total
            }
        }
    }
    return db
}

/// The sum of `count` values, in eight interleaved partial sums (element i goes to sum i mod 8;
/// the tail to the first ones) combined pairwise at the end: eight independent additions a
/// cycle instead of one chain, which the compiler turns into one vector addition.
@inline(__always)
func planeSum<S: KernelScalar>(_ x: UnsafePointer<S>, count: Int) -> S {
    var (s0, s1, s2, s3, s4, s5, s6, s7): (S, S, S, S, S, S, S, S) = (0, 0, 0, 0, 0, 0, 0, 0)
    var i = 0
    while i + 8 <= count {
        s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3]
        s4 += x[i + 4]; s5 += x[i + 5]; s6 += x[i + 6]; s7 += x[i + 7]
        i += 8
    }
    if i < count { s0 += x[i] }
    if i + 1 < count { s1 += x[i + 1] }
    if i + 2 < count { s2 += x[i + 2] }
    if i + 3 < count { s3 += x[i + 3] }
    if i + 4 < count { s4 += x[i + 4] }
    if i + 5 < count { s5 += x[i + 5] }
    if i + 6 < count { s6 += x[i + 6] }
    return ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7))
}

extension ConvGeometry {
    /// A 1×1 kernel, stride 1, no padding: the im2col matrix is the image itself.
    var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0 }
}

/// An array of `count` floats whose contents are not set: only for buffers the caller writes
/// completely before reading (GEMM outputs with beta 0, im2col matrices).
@inline(__always)
func uninitializedArray(_ count: Int) -> [Float] { uninitializedArray(count, of: Float.self) }

/// The same for either kernel precision (concatenation and up-sampling, which write every element).
@inline(__always)
func uninitializedArray<S: KernelScalar>(_ count: Int, of type: S.Type) -> [S] {
    [S](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}
