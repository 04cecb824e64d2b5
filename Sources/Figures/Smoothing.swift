/// Exponential moving average, as TensorBoard smooths curves:
/// `s₀ = x₀`, `sₜ = w·sₜ₋₁ + (1 − w)·xₜ` with `weight` w in [0, 1).
/// Non-finite values are passed through as NaN and do not disturb the average.
public func exponentialMovingAverage(_ values: [Float], weight: Float) -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(values.count)
    var state: Float?
    for v in values {
        guard v.isFinite else { out.append(.nan); continue }
        let s = state.map { weight * $0 + (1 - weight) * v } ?? v
        state = s
        out.append(s)
    }
    return out
}
