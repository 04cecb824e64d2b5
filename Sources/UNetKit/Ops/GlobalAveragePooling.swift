/// Global average pooling (PyTorch's `nn.AdaptiveAvgPool2d(1)`): the mean of each channel's
/// plane. Input `[N, C, H, W]` (H, W ≥ 1) → output `[N, C, 1, 1]`.
///
///     y[n, c, 0, 0] = (1/(H·W)) Σ_i Σ_j x[n, c, i, j]      dx[n, c, i, j] = dy[n, c, 0, 0] / (H·W)

/// Forward: one mean per plane of `plane` elements.
func globalAveragePoolForward<S: KernelScalar>(_ x: [S], planes: Int, plane: Int) -> [S] {
    var y = [S](repeating: 0, count: planes)
    for p in 0..<planes {
        var sum: S = 0
        for k in 0..<plane { sum += x[p * plane + k] }
        y[p] = sum / S(plane)
    }
    return y
}

/// Backward: each pixel of a plane receives its plane's dy divided by the plane size.
func globalAveragePoolBackward<S: KernelScalar>(_ dy: [S], planes: Int, plane: Int) -> [S] {
    var dx = [S](repeating: 0, count: planes * plane)
    for p in 0..<planes {
        let g = dy[p] / S(plane)
        for k in 0..<plane { dx[p * plane + k] = g }
    }
    return dx
}

/// Differentiable global average pooling: `[N, C, H, W]` → `[N, C, 1, 1]`.
public func globalAveragePool(_ input: Variable) throws -> Variable {
    let x = input.value
    try requireRank(x, 4, "input of global average pooling", "N×C×H×W")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    guard h >= 1, w >= 1 else {
        throw ShapeError("global average pooling needs H and W of at least 1, but got input of shape \(shapeString(x.shape))")
    }
    let y = globalAveragePoolForward(x.scalars, planes: n * c, plane: h * w)
    return Variable(Tensor(unchecked: [n, c, 1, 1], y), parents: [input]) { dy in
        [Tensor(unchecked: [n, c, h, w], globalAveragePoolBackward(dy.scalars, planes: n * c, plane: h * w))]
    }
}
