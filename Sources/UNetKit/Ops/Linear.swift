/// `linear`: a fully connected layer's affine map (PyTorch's `F.linear`), y = x·wᵀ + b.
///
/// Shapes: input `[N, in]`, weight `[out, in]`, bias `[out]`, output `[N, out]`.
///
///     y[n, o]  = b[o] + Σ_i x[n, i] · w[o, i]
///     dx[n, i] = Σ_o dy[n, o] · w[o, i]      dw[o, i] = Σ_n dy[n, o] · x[n, i]      db[o] = Σ_n dy[n, o]
///
/// Written as plain loops: the layers that use it (squeeze-and-excitation) multiply matrices
/// of a few hundred elements.

/// Forward: returns y `[N·out]`.
func linearForward<S: KernelScalar>(_ x: [S], _ w: [S], _ b: [S]?, batch: Int, inFeatures: Int, outFeatures: Int) -> [S] {
    var y = [S](repeating: 0, count: batch * outFeatures)
    for n in 0..<batch {
        for o in 0..<outFeatures {
            var sum: S = b?[o] ?? 0
            for i in 0..<inFeatures { sum += x[n * inFeatures + i] * w[o * inFeatures + i] }
            y[n * outFeatures + o] = sum
        }
    }
    return y
}

/// Backward: dL/dx, dL/dw, dL/db for dL/dy.
func linearBackward<S: KernelScalar>(_ dy: [S], _ x: [S], _ w: [S], batch: Int, inFeatures: Int, outFeatures: Int)
    -> (dx: [S], dw: [S], db: [S]) {
    var dx = [S](repeating: 0, count: batch * inFeatures)
    var dw = [S](repeating: 0, count: outFeatures * inFeatures)
    var db = [S](repeating: 0, count: outFeatures)
    for n in 0..<batch {
        for o in 0..<outFeatures {
            let g = dy[n * outFeatures + o]
            db[o] += g
            for i in 0..<inFeatures {
                dx[n * inFeatures + i] += g * w[o * inFeatures + i]
                dw[o * inFeatures + i] += g * x[n * inFeatures + i]
            }
        }
    }
    return (dx, dw, db)
}

/// Differentiable `y = x·wᵀ + b`. Throws `ShapeError` when the shapes do not fit, with PyTorch's
/// wording: "mat1 and mat2 shapes cannot be multiplied (4x3 and 5x2)".
public func linear(_ input: Variable, weight: Variable, bias: Variable? = nil) throws -> Variable {
    let (x, w) = (input.value, weight.value)
    try requireRank(x, 2, "input of linear", "N×in")
    try requireRank(w, 2, "weight of linear", "out×in")
    let (n, inFeatures, outFeatures) = (x.shape[0], x.shape[1], w.shape[0])
    guard w.shape[1] == inFeatures else {
        throw ShapeError("mat1 and mat2 shapes cannot be multiplied (\(n)x\(inFeatures) and \(w.shape[1])x\(outFeatures)): "
                         + "linear expected an input with \(w.shape[1]) features, but got \(inFeatures)")
    }
    if let bias, bias.shape != [outFeatures] {
        throw ShapeError("expected bias of shape [\(outFeatures)] for weight \(shapeString(w.shape)), "
                         + "but got bias of shape \(shapeString(bias.shape))")
    }
    let y = linearForward(x.scalars, w.scalars, bias?.value.scalars, batch: n, inFeatures: inFeatures,
                          outFeatures: outFeatures)
    var parents = [input, weight]
    if let bias { parents.append(bias) }
    return Variable(Tensor(unchecked: [n, outFeatures], y), parents: parents) { dy in
        let g = linearBackward(dy.scalars, x.scalars, w.scalars, batch: n, inFeatures: inFeatures, outFeatures: outFeatures)
        return [Tensor(unchecked: x.shape, g.dx), Tensor(unchecked: w.shape, g.dw), Tensor(unchecked: [outFeatures], g.db)]
    }
}
