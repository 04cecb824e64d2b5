/// 2-D convolution as plain loops — the reference, written to be read.
///
///     y[n, co, i, j] = b[co] + Σ_ci Σ_ki Σ_kj  w[co, ci, ki, kj] · x[n, ci, i·s + ki·d − p, j·s + kj·d − p]
///
/// (x is zero outside the image; d is the dilation, 1 for an ordinary convolution).
/// Shapes: x `[N, Cin, H, W]`, w `[Cout, Cin, kH, kW]`, b `[Cout]`, y `[N, Cout, Hout, Wout]`. The fast path with the same API is in
/// `Conv2dBLAS.swift`; the two are tested against each other and against PyTorch.

/// Forward: returns y.
func conv2dNaiveForward<S: KernelScalar>(_ x: [S], _ w: [S], _ b: [S]?, _ g: ConvGeometry) -> [S] {
    var y = [S](repeating: 0, count: g.outputShape.reduce(1, *))
    let (oh, ow) = (g.outHeight, g.outWidth)
    for n in 0..<g.batch {
        for co in 0..<g.outChannels {
            for i in 0..<oh {
                for j in 0..<ow {
                    var sum: S = b?[co] ?? 0
                    for ci in 0..<g.inChannels {
                        for ki in 0..<g.kernelHeight {
                            let row = i * g.stride + ki * g.dilation - g.padding
                            if row < 0 || row >= g.height { continue }
                            for kj in 0..<g.kernelWidth {
                                let col = j * g.stride + kj * g.dilation - g.padding
                                if col < 0 || col >= g.width { continue }
                                let xv = x[((n * g.inChannels + ci) * g.height + row) * g.width + col]
                                let wv = w[((co * g.inChannels + ci) * g.kernelHeight + ki) * g.kernelWidth + kj]
                                sum += wv * xv
                            }
                        }
                    }
                    y[((n * g.outChannels + co) * oh + i) * ow + j] = sum
                }
            }
        }
    }
    return y
}

/// Backward: given dL/dy, returns dL/dx, dL/dw and dL/db.
///
/// Each product `w · x` in the forward sum sends `dy · x` to dw and `dy · w` to dx;
/// db[co] is the sum of dy over n, i, j.
func conv2dNaiveBackward<S: KernelScalar>(_ dy: [S], _ x: [S], _ w: [S], _ g: ConvGeometry)
    -> (dx: [S], dw: [S], db: [S]) {
    var dx = [S](repeating: 0, count: x.count)
    var dw = [S](repeating: 0, count: w.count)
    var db = [S](repeating: 0, count: g.outChannels)
    let (oh, ow) = (g.outHeight, g.outWidth)
    for n in 0..<g.batch {
        for co in 0..<g.outChannels {
            for i in 0..<oh {
                for j in 0..<ow {
                    let grad = dy[((n * g.outChannels + co) * oh + i) * ow + j]
                    db[co] += grad
                    for ci in 0..<g.inChannels {
                        for ki in 0..<g.kernelHeight {
                            let row = i * g.stride + ki * g.dilation - g.padding
                            if row < 0 || row >= g.height { continue }
                            for kj in 0..<g.kernelWidth {
                                let col = j * g.stride + kj * g.dilation - g.padding
                                if col < 0 || col >= g.width { continue }
                                let xi = ((n * g.inChannels + ci) * g.height + row) * g.width + col
                                let wi = ((co * g.inChannels + ci) * g.kernelHeight + ki) * g.kernelWidth + kj
                                dw[wi] += grad * x[xi]
                                dx[xi] += grad * w[wi]
                            }
                        }
                    }
                }
            }
        }
    }
    return (dx, dw, db)
}
