/// Bilinear up-sampling with `align_corners=True` (PyTorch's
/// `nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)`, the UNet's `up`).
///
/// Input `[N, C, H, W]` → output `[N, C, Ho, Wo]`. The corner pixels of input and output are
/// aligned, so output row `o` samples input row `o · (H − 1)/(Ho − 1)`, mixing its two
/// neighbouring rows linearly (and likewise for columns). Backward sends each output
/// gradient to the same four input pixels with the same weights.

/// Source position and weights along one axis, computed in the kernel's precision as PyTorch does.
@inline(__always)
private func sourceIndex<S: KernelScalar>(_ o: Int, scale: S, inSize: Int) -> (i0: Int, i1: Int, l1: S) {
    let src = scale * S(o)
    let i0 = Int(src)
    let i1 = i0 < inSize - 1 ? i0 + 1 : i0
    return (i0, i1, src - S(i0))
}

@inline(__always)
private func alignCornersScale<S: KernelScalar>(_ inSize: Int, _ outSize: Int) -> S {
    outSize > 1 ? S(inSize - 1) / S(outSize - 1) : 0
}

func upsampleBilinearForward<S: KernelScalar>(_ x: [S], planes: Int, height: Int, width: Int,
                                              outHeight: Int, outWidth: Int) -> [S] {
    var y = uninitializedArray(planes * outHeight * outWidth, of: S.self)   // every output row is written below
    let sh: S = alignCornersScale(height, outHeight), sw: S = alignCornersScale(width, outWidth)
    let columns = (0..<outWidth).map { sourceIndex($0, scale: sw, inSize: width) }
    x.withUnsafeBufferPointer { x in
        y.withSharedBuffer { y in
            parallelFor(planes) { p in
                let xb = p * height * width, yb = p * outHeight * outWidth
                // Every input row mixed along the columns once, h[r][oj] = (1 − lc)·x[r][c0] + lc·x[r][c1];
                // then output row oi = (1 − lr)·h[r0] + lr·h[r1]: the same products and sums as
                // mixing the four pixels of each output, in the same order.
                withUnsafeTemporaryAllocation(of: S.self, capacity: height * outWidth) { h in
                    for r in 0..<height {
                        let (source, mixed) = (xb + r * width, r * outWidth)
                        for oj in 0..<outWidth {
                            let (c0, c1, lc) = columns[oj]
                            h[mixed + oj] = (1 - lc) * x[source + c0] + lc * x[source + c1]
                        }
                    }
                    for oi in 0..<outHeight {
                        let (r0, r1, lr) = sourceIndex(oi, scale: sh, inSize: height)
                        let (upper, lower, out) = (r0 * outWidth, r1 * outWidth, y.base + yb + oi * outWidth)
                        for oj in 0..<outWidth { out[oj] = (1 - lr) * h[upper + oj] + lr * h[lower + oj] }
                    }
                }
            }
        }
    }
    return y
}

/// Backward, as gathers rather than PyTorch's scatter: dy's rows are first mixed down the
/// columns, v[r] = Σ over the output rows oi that sample input row r of weight·dy[oi] (whole
/// rows, vectorised), then dx[r][c] = Σ over the outputs oj that sample column c of
/// weight·v[r][oj]. Each sum runs in output order; the products are grouped per axis, so the
/// last bits differ from the four-pixel scatter.
func upsampleBilinearBackward<S: KernelScalar>(_ dy: [S], planes: Int, height: Int, width: Int,
                                               outHeight: Int, outWidth: Int) -> [S] {
    var dx = uninitializedArray(planes * height * width, of: S.self)   // every input row is written below
    let columns = SamplingTable<S>(inSize: width, outSize: outWidth)
    let rows = SamplingTable<S>(inSize: height, outSize: outHeight)
    dy.withUnsafeBufferPointer { dy in
        dx.withSharedBuffer { dx in
            parallelFor(planes) { p in
                let source = dy.baseAddress! + p * outHeight * outWidth
                let target = dx.base + p * height * width
                withUnsafeTemporaryAllocation(of: S.self, capacity: outWidth) { v in
                    let v = v.baseAddress!
                    for r in 0..<height {
                        v.update(repeating: 0, count: outWidth)
                        for e in rows.entries(of: r) {
                            let (line, weight) = (source + rows.output[e] * outWidth, rows.weight[e])
                            for oj in 0..<outWidth { v[oj] += weight * line[oj] }
                        }
                        let out = target + r * width
                        for c in 0..<width {
                            var sum: S = 0
                            for e in columns.entries(of: c) { sum += columns.weight[e] * v[columns.output[e]] }
                            out[c] = sum
                        }
                    }
                }
            }
        }
    }
    return dx
}

/// Along one axis, the outputs that sample each input index, in output order, with the weights
/// the forward pass gives them: output o adds (o, 1 − l) to index i0 and (o, l) to index i1
/// (`sourceIndex`), two entries even where i0 = i1 at the last index.
private struct SamplingTable<S: KernelScalar> {
    var first: [Int], output: [Int], weight: [S]

    init(inSize: Int, outSize: Int) {
        let scale: S = alignCornersScale(inSize, outSize)
        let samples = (0..<outSize).map { sourceIndex($0, scale: scale, inSize: inSize) }
        var counts = [Int](repeating: 0, count: inSize + 1)
        for (i0, i1, _) in samples { counts[i0 + 1] += 1; counts[i1 + 1] += 1 }
        for i in 0..<inSize { counts[i + 1] += counts[i] }
        first = counts
        var next = Array(counts.dropLast())
        output = [Int](repeating: 0, count: 2 * outSize)
        weight = [S](repeating: 0, count: 2 * outSize)
        for (o, (i0, i1, l)) in samples.enumerated() {
            for (i, w) in [(i0, 1 - l), (i1, l)] {
                (output[next[i]], weight[next[i]]) = (o, w)
                next[i] += 1
            }
        }
    }

    /// Indices into `output` and `weight` of the entries of input index `i`.
    @inline(__always) func entries(of i: Int) -> Range<Int> { first[i]..<first[i + 1] }
}

/// Differentiable bilinear up-sampling (align_corners=True) by an integer factor (2 in UNet).
public func upsampleBilinear(_ input: Variable, scaleFactor: Int = 2) throws -> Variable {
    let x = input.value
    try requireRank(x, 4, "input", "N×C×H×W")
    guard scaleFactor >= 1, x.count > 0 else {
        throw ShapeError("upsample needs a scale factor ≥ 1 and a non-empty input, "
                         + "but got scale \(scaleFactor) and input of shape \(shapeString(x.shape))")
    }
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = (h * scaleFactor, w * scaleFactor)
    let y = upsampleBilinearForward(x.scalars, planes: n * c, height: h, width: w, outHeight: oh, outWidth: ow)
    return Variable(Tensor(unchecked: [n, c, oh, ow], y), parents: [input]) { dy in
        [Tensor(unchecked: x.shape, upsampleBilinearBackward(dy.scalars, planes: n * c, height: h, width: w,
                                                             outHeight: oh, outWidth: ow))]
    }
}
