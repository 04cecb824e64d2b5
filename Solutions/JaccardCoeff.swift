import UNetKit

/// Exercise (question 3): the Jaccard index (intersection over union) of two masks of the
/// same shape, smoothed like the course's `DiceCoeff`:
///
///     J(a, b) = (Σ a·b + ε) / (Σ a + Σ b − Σ a·b + ε),   ε = 1e-4
///
/// jaccard(eye3, eye3) = 1, jaccard(eye3, ones3) = 0.3333, jaccard(zeros3, ones3) = 1.1111e-05,
/// jaccard(zeros3, zeros3) = 1.
public func jaccardCoeff(_ input: Tensor, _ target: Tensor) throws -> Float {
    guard input.shape == target.shape else {
        throw ShapeError("jaccard_coeff: expected input and target of the same shape, but got "
                         + "\(shapeString(input.shape)) and \(shapeString(target.shape))")
    }
    let eps = 1e-4
    // BEGIN SOLUTION
    var intersection = 0.0, sumA = 0.0, sumB = 0.0
    for i in 0..<input.count {
        let (a, b) = (Double(input.scalars[i]), Double(target.scalars[i]))
        intersection += a * b
        sumA += a
        sumB += b
    }
    return Float((intersection + eps) / (sumA + sumB - intersection + eps))
    // END SOLUTION
}
