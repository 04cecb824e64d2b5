/// Dropout (PyTorch's `F.dropout`) and channel dropout (`F.dropout2d`), with "inverted" scaling:
/// in training each element (or each whole channel plane) is kept with probability 1 − p and
/// the kept ones are multiplied by 1/(1 − p), so the expected output equals the input; in
/// evaluation both are the identity.
///
///     dropout:    y[n, c, i, j] = x[n, c, i, j] · m[n, c, i, j] / (1 − p)     m ∈ {0, 1}, P(m = 1) = 1 − p
///     dropout2d:  y[n, c, i, j] = x[n, c, i, j] · m[n, c]       / (1 − p)     (one draw per channel plane)
///     backward:   dx = dy · m / (1 − p)      (the mask is fixed: y is linear in x)
///
/// p must lie in [0, 1). (PyTorch also accepts p = 1 and returns zeros; here it is an error,
/// since no element would be kept to carry the scale.) A random mask cannot be reproduced
/// across libraries, so the ops that take a given mask are public: the tests run them on the
/// masks PyTorch drew.

/// y = x · mask[k / group] · scale: `mask` has one entry per `group` consecutive elements
/// (group 1: one per element; group H·W: one per channel plane). Its own adjoint: the backward
/// applies the same function to dy.
func applyKeepMask<S: KernelScalar>(_ x: [S], mask: [S], group: Int, scale: S) -> [S] {
    var y = [S](repeating: 0, count: x.count)
    guard group > 0 else { return y }
    for m in 0..<mask.count {
        let factor = mask[m] * scale
        for k in (m * group)..<((m + 1) * group) { y[k] = x[k] * factor }
    }
    return y
}

/// Throws unless 0 ≤ p < 1.
func checkDropoutProbability(_ p: Double, _ name: String) throws {
    guard p >= 0, p < 1 else {
        throw ShapeError("\(name) probability has to be in [0, 1), but got \(p)")
    }
}

/// A keep mask of `shape`: each entry 1 with probability 1 − p, else 0, drawn from `generator`
/// in row-major order (one uniform draw per entry).
public func dropoutKeepMask(shape: [Int], p: Double, using generator: inout SeededGenerator) -> Tensor {
    var mask = Tensor(zeros: shape)
    mask.withUnsafeMutableScalars { m in
        for k in 0..<m.count { m[k] = generator.nextUnit() >= p ? 1 : 0 }
    }
    return mask
}

/// `mask` must be 0/1 valued; `maskShape` is what it must look like for `input`.
private func maskedDropout(_ input: Variable, mask: Tensor, maskShape: [Int], p: Double, name: String) throws -> Variable {
    try checkDropoutProbability(p, name)
    guard mask.shape == maskShape else {
        throw ShapeError("\(name): expected a keep mask of shape \(shapeString(maskShape)) for input of shape "
                         + "\(shapeString(input.shape)), but got \(shapeString(mask.shape))")
    }
    guard mask.scalars.allSatisfy({ $0 == 0 || $0 == 1 }) else {
        throw ShapeError("\(name): the keep mask must hold only 0 and 1")
    }
    let group = input.value.count / max(1, mask.count)
    let scale = Float(1 / (1 - p))
    let y = applyKeepMask(input.value.scalars, mask: mask.scalars, group: group, scale: scale)
    return Variable(Tensor(unchecked: input.shape, y), parents: [input]) { dy in
        [Tensor(unchecked: dy.shape, applyKeepMask(dy.scalars, mask: mask.scalars, group: group, scale: scale))]
    }
}

/// Dropout with a given keep mask (same shape as the input, entries 0 or 1): x · mask / (1 − p).
public func dropout(_ input: Variable, keepMask mask: Tensor, p: Double) throws -> Variable {
    try maskedDropout(input, mask: mask, maskShape: input.shape, p: p, name: "dropout")
}

/// Dropout: in training, zeroes each element with probability p (mask drawn from `generator`)
/// and scales the rest by 1/(1 − p); the identity when `training` is false. Any shape.
public func dropout(_ input: Variable, p: Double, training: Bool,
                    using generator: inout SeededGenerator) throws -> Variable {
    try checkDropoutProbability(p, "dropout")
    guard training, p > 0 else { return input }
    return try dropout(input, keepMask: dropoutKeepMask(shape: input.shape, p: p, using: &generator), p: p)
}

/// Channel dropout with a given keep mask `[N, C, 1, 1]` (entries 0 or 1) for an input
/// `[N, C, H, W]`: x · mask / (1 − p), each channel plane kept or zeroed as a whole.
public func dropout2d(_ input: Variable, keepMask mask: Tensor, p: Double) throws -> Variable {
    try requireRank(input.value, 4, "input of dropout2d", "N×C×H×W")
    return try maskedDropout(input, mask: mask, maskShape: [input.shape[0], input.shape[1], 1, 1], p: p,
                             name: "dropout2d")
}

/// Channel dropout (PyTorch's `F.dropout2d` on `[N, C, H, W]`): in training, zeroes each whole
/// channel plane with probability p and scales the rest by 1/(1 − p); the identity when
/// `training` is false.
public func dropout2d(_ input: Variable, p: Double, training: Bool,
                      using generator: inout SeededGenerator) throws -> Variable {
    try checkDropoutProbability(p, "dropout2d")
    try requireRank(input.value, 4, "input of dropout2d", "N×C×H×W")
    guard training, p > 0 else { return input }
    let mask = dropoutKeepMask(shape: [input.shape[0], input.shape[1], 1, 1], p: p, using: &generator)
    return try dropout2d(input, keepMask: mask, p: p)
}
