/// im2col and col2im: the bridge between convolution and matrix multiplication.
///
/// For one image x `[C, H, W]` and a kH×kW kernel with stride s, padding p and dilation d,
/// `im2col` writes the matrix `col` of shape `[C·kH·kW, Hout·Wout]` whose column (i, j) holds
/// the receptive field of output pixel (i, j):
///
///     col[(c·kH + ki)·kW + kj, i·Wout + j] = x[c, i·s + ki·d − p, j·s + kj·d − p]   (0 outside)
///
/// so that a convolution is one GEMM: `y[Cout, Hout·Wout] = w[Cout, C·kH·kW] · col`.
/// `col2im` is its adjoint: it adds every entry of `col` back onto the pixel it came from.

/// Fills `col` (`[C·kH·kW, Hout·Wout]`) from one image `x` (`[C, H, W]`).
@inline(__always)
func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, channels: Int, _ g: ConvGeometry) {
    let (h, w, oh, ow, s, p, d) = (g.height, g.width, g.outHeight, g.outWidth, g.stride, g.padding, g.dilation)
    var row = 0
    for c in 0..<channels {
        for ki in 0..<g.kernelHeight {
            for kj in 0..<g.kernelWidth {
                let dst = col + row * oh * ow
                for i in 0..<oh {
                    let y = i * s + ki * d - p
                    let out = dst + i * ow
                    if y < 0 || y >= h {
                        out.update(repeating: 0, count: ow)
                        continue
                    }
                    let src = x + (c * h + y) * w
                    if s == 1 {
                        // Contiguous run: columns j with 0 ≤ j + kj·d − p < w.
                        let (lo, hi) = validRange(offset: kj * d - p, w: w, ow: ow)
                        out.update(repeating: 0, count: lo)
                        (out + lo).update(from: src + (lo + kj * d - p), count: hi - lo)
                        (out + hi).update(repeating: 0, count: ow - hi)
                    } else {
                        for j in 0..<ow {
                            let xcol = j * s + kj * d - p
                            out[j] = (xcol >= 0 && xcol < w) ? src[xcol] : 0
                        }
                    }
                }
                row += 1
            }
        }
    }
}

/// Adds `col` (`[C·kH·kW, Hout·Wout]`) back into one image `x` (`[C, H, W]`); `x` must be
/// zeroed by the caller if it should hold only this sum.
@inline(__always)
func col2im(_ col: UnsafePointer<Float>, _ x: UnsafeMutablePointer<Float>, channels: Int, _ g: ConvGeometry) {
    let (h, w, oh, ow, s, p, d) = (g.height, g.width, g.outHeight, g.outWidth, g.stride, g.padding, g.dilation)
    var row = 0
    for c in 0..<channels {
        for ki in 0..<g.kernelHeight {
            for kj in 0..<g.kernelWidth {
                let src = col + row * oh * ow
                for i in 0..<oh {
                    let y = i * s + ki * d - p
                    if y < 0 || y >= h { continue }
                    let dst = x + (c * h + y) * w
                    let line = src + i * ow
                    if s == 1 {
                        let (lo, hi) = validRange(offset: kj * d - p, w: w, ow: ow)
                        let run = dst + (lo + kj * d - p)
                        for j in 0..<(hi - lo) { run[j] += line[lo + j] }
                    } else {
                        for j in 0..<ow {
                            let xcol = j * s + kj * d - p
                            if xcol >= 0 && xcol < w { dst[xcol] += line[j] }
                        }
                    }
                }
                row += 1
            }
        }
    }
}

/// For stride 1: the output columns `lo..<hi` whose input column `j + offset` lies inside
/// `0..<w` (0 ≤ lo ≤ hi ≤ ow); `offset` is `kj·d − p`.
@inline(__always)
private func validRange(offset: Int, w: Int, ow: Int) -> (Int, Int) {
    let lo = min(ow, max(0, -offset))
    return (lo, max(lo, min(ow, w - offset)))
}
