/// Mean and maximum over the channel axis, keeping it (PyTorch's `x.mean(dim=1, keepdim=True)` and
/// `x.max(dim=1, keepdim=True).values`): input `[N, C, H, W]` → output `[N, 1, H, W]`, one value
/// per pixel. Spatial attention concatenates the two maps as its `[N, 2, H, W]` input.
///
///     mean:  y[n, 0, i, j] = (1/C) Σ_c x[n, c, i, j]      dx[n, c, i, j] = dy[n, 0, i, j] / C
///     max:   y[n, 0, i, j] = max_c x[n, c, i, j]          dx = dy at the channel of the maximum, 0 elsewhere
///
/// On ties the maximum's gradient goes to the first such channel (a NaN counts as the maximum),
/// like `maxPool2d`.

/// Mean over channels: `[N·C·P]` → `[N·P]`, with P = H·W.
func channelMeanForward<S: KernelScalar>(_ x: [S], batch: Int, channels: Int, plane: Int) -> [S] {
    var y = [S](repeating: 0, count: batch * plane)
    let scale = 1 / S(channels)
    for n in 0..<batch {
        for c in 0..<channels {
            let base = (n * channels + c) * plane
            for k in 0..<plane { y[n * plane + k] += x[base + k] }
        }
        for k in 0..<plane { y[n * plane + k] *= scale }
    }
    return y
}

/// Backward of the mean: every channel receives dy / C.
func channelMeanBackward<S: KernelScalar>(_ dy: [S], batch: Int, channels: Int, plane: Int) -> [S] {
    var dx = [S](repeating: 0, count: batch * channels * plane)
    let scale = 1 / S(channels)
    for n in 0..<batch {
        for c in 0..<channels {
            let base = (n * channels + c) * plane
            for k in 0..<plane { dx[base + k] = dy[n * plane + k] * scale }
        }
    }
    return dx
}

/// Maximum over channels: `[N·C·P]` → the maxima `[N·P]` and, for each, its channel.
func channelMaxForward<S: KernelScalar>(_ x: [S], batch: Int, channels: Int, plane: Int) -> (y: [S], argmax: [Int32]) {
    var y = [S](repeating: 0, count: batch * plane)
    var argmax = [Int32](repeating: 0, count: batch * plane)
    for n in 0..<batch {
        for k in 0..<plane {
            var best = 0
            var bestValue = x[n * channels * plane + k]
            for c in 1..<max(1, channels) {
                let v = x[(n * channels + c) * plane + k]
                if !bestValue.isNaN && (v > bestValue || v.isNaN) { best = c; bestValue = v }
            }
            y[n * plane + k] = bestValue
            argmax[n * plane + k] = Int32(best)
        }
    }
    return (y, argmax)
}

/// Backward of the maximum: dy goes to the channel that held the maximum.
func channelMaxBackward<S: KernelScalar>(_ dy: [S], argmax: [Int32], batch: Int, channels: Int, plane: Int) -> [S] {
    var dx = [S](repeating: 0, count: batch * channels * plane)
    for n in 0..<batch {
        for k in 0..<plane {
            dx[(n * channels + Int(argmax[n * plane + k])) * plane + k] = dy[n * plane + k]
        }
    }
    return dx
}

/// The sizes of an `[N, C, H, W]` input with at least one channel.
private func channelReductionSizes(_ x: Tensor, _ name: String) throws -> (n: Int, c: Int, h: Int, w: Int) {
    try requireRank(x, 4, "input of \(name)", "N×C×H×W")
    guard x.shape[1] >= 1 else {
        throw ShapeError("\(name): expected at least one channel, but got input of shape \(shapeString(x.shape))")
    }
    return (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
}

/// Differentiable mean over channels: `[N, C, H, W]` → `[N, 1, H, W]`.
public func meanOverChannels(_ input: Variable) throws -> Variable {
    let (n, c, h, w) = try channelReductionSizes(input.value, "meanOverChannels")
    let y = channelMeanForward(input.value.scalars, batch: n, channels: c, plane: h * w)
    return Variable(Tensor(unchecked: [n, 1, h, w], y), parents: [input]) { dy in
        [Tensor(unchecked: [n, c, h, w], channelMeanBackward(dy.scalars, batch: n, channels: c, plane: h * w))]
    }
}

/// Differentiable maximum over channels: `[N, C, H, W]` → `[N, 1, H, W]`.
public func maxOverChannels(_ input: Variable) throws -> Variable {
    let (n, c, h, w) = try channelReductionSizes(input.value, "maxOverChannels")
    let (y, argmax) = channelMaxForward(input.value.scalars, batch: n, channels: c, plane: h * w)
    return Variable(Tensor(unchecked: [n, 1, h, w], y), parents: [input]) { dy in
        [Tensor(unchecked: [n, c, h, w], channelMaxBackward(dy.scalars, argmax: argmax, batch: n, channels: c, plane: h * w))]
    }
}
