/// im2col and col2im: the bridge between convolution and matrix multiplication.
///
/// For one image x `[C, H, W]` and a kH×kW kernel with stride s and padding p, `im2col`
/// writes the matrix `col` of shape `[C·kH·kW, Hout·Wout]` whose column (i, j) holds the
/// receptive field of output pixel (i, j):
///
///     col[(c·kH + ki)·kW + kj, i·Wout + j] = x[c, i·s + ki − p, j·s + kj − p]   (0 outside)
///
/// so that a convolution is one GEMM: `y[Cout, Hout·Wout] = w[Cout, C·kH·kW] · col`.
/// `col2im` is its adjoint: it adds every entry of `col` back onto the pixel it came from.

/// Fills `col` (`[C·kH·kW, Hout·Wout]`) from one image `x` (`[C, H, W]`).
@inline(__always)
func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, channels: Int, _ g: ConvGeometry) {
    let (h, w, oh, ow, s, p) = (g.height, g.width, g.outHeight, g.outWidth, g.stride, g.padding)
    var row = 0
    for c in 0..<channels {
        for ki in 0..<g.kernelHeight {
            for kj in 0..<g.kernelWidth {
                let dst = col + row * oh * ow
                for i in 0..<oh {
                    let y = i * s + ki - p
                    let out = dst + i * ow
                    if y < 0 || y >= h {
                        out.update(repeating: 0, count: ow)
                        continue
                    }
                    let src = x + (c * h + y) * w
                    if s == 1 {
                        // Contiguous run: columns j with 0 ≤ j + kj − p < w.
                        let (lo, hi) = validRange(kj: kj, p: p, w: w, ow: ow)
                        out.update(repeating: 0, count: lo)
                        (out + lo).update(from: src + (lo + kj - p), count: hi - lo)
                        (out + hi).update(repeating: 0, count: ow - hi)
                    } else {
                        for j in 0..<ow {
                            let xcol = j * s + kj - p
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
    let (h, w, oh, ow, s, p) = (g.height, g.width, g.outHeight, g.outWidth, g.stride, g.padding)
    var row = 0
    for c in 0..<channels {
        for ki in 0..<g.kernelHeight {
            for kj in 0..<g.kernelWidth {
                let src = col + row * oh * ow
                for i in 0..<oh {
                    let y = i * s + ki - p
                    if y < 0 || y >= h { continue }
                    let dst = x + (c * h + y) * w
                    let line = src + i * ow
                    if s == 1 {
                        let (lo, hi) = validRange(kj: kj, p: p, w: w, ow: ow)
                        let d = dst + (lo + kj - p)
                        for j in 0..<(hi - lo) { d[j] += line[lo + j] }
                    } else {
                        for j in 0..<ow {
                            let xcol = j * s + kj - p
                            if xcol >= 0 && xcol < w { dst[xcol] += line[j] }
                        }
                    }
                }
                row += 1
            }
        }
    }
}

/// For stride 1: the output columns `lo..<hi` whose input column `j + kj − p` lies inside
/// `0..<w` (0 ≤ lo ≤ hi ≤ ow).
@inline(__always)
private func validRange(kj: Int, p: Int, w: Int, ow: Int) -> (Int, Int) {
    let lo = min(ow, max(0, p - kj))
    return (lo, max(lo, min(ow, w + p - kj)))
}
