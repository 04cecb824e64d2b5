/// Nearest-neighbour up-sampling by an integer factor s (PyTorch's `F.interpolate(x,
/// scale_factor=s, mode='nearest')`, Keras' `UpSampling2D(size=s)`): every input pixel becomes
/// an s×s square of copies.
///
/// Input `[N, C, H, W]` → output `[N, C, sH, sW]`, y[n, c, i, j] = x[n, c, ⌊i/s⌋, ⌊j/s⌋].
/// Backward: each input pixel's gradient is the sum of its s×s square of output gradients.

func upsampleNearestForward<S: KernelScalar>(_ x: [S], planes: Int, height: Int, width: Int, scale: Int) -> [S] {
    let (oh, ow) = (height * scale, width * scale)
    var y = [S](repeating: 0, count: planes * oh * ow)
    for p in 0..<planes {
        let xb = p * height * width, yb = p * oh * ow
        for i in 0..<oh {
            let row = xb + (i / scale) * width
            for j in 0..<ow { y[yb + i * ow + j] = x[row + j / scale] }
        }
    }
    return y
}

func upsampleNearestBackward<S: KernelScalar>(_ dy: [S], planes: Int, height: Int, width: Int, scale: Int) -> [S] {
    let (oh, ow) = (height * scale, width * scale)
    var dx = [S](repeating: 0, count: planes * height * width)
    for p in 0..<planes {
        let xb = p * height * width, yb = p * oh * ow
        for i in 0..<oh {
            let row = xb + (i / scale) * width
            for j in 0..<ow { dx[row + j / scale] += dy[yb + i * ow + j] }
        }
    }
    return dx
}

/// Differentiable nearest-neighbour up-sampling by an integer factor (2 for Keras' `UpSampling2D()`).
public func upsampleNearest(_ input: Variable, scaleFactor: Int = 2) throws -> Variable {
    let x = input.value
    try requireRank(x, 4, "input", "N×C×H×W")
    guard scaleFactor >= 1 else {
        throw ShapeError("nearest up-sampling needs a scale factor ≥ 1, but got \(scaleFactor)")
    }
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let y = upsampleNearestForward(x.scalars, planes: n * c, height: h, width: w, scale: scaleFactor)
    return Variable(Tensor(unchecked: [n, c, h * scaleFactor, w * scaleFactor], y), parents: [input]) { dy in
        [Tensor(unchecked: x.shape, upsampleNearestBackward(dy.scalars, planes: n * c, height: h, width: w,
                                                            scale: scaleFactor))]
    }
}
