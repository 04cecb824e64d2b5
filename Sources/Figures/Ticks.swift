import Foundation

/// "Nice" tick positions for an axis, as matplotlib's `MaxNLocator` picks them: multiples of
/// 1, 2, 2.5 or 5 × 10ᵏ, at most `maxTicks` of them inside [low, high].
///
///     niceTicks(0, 1)        // [0, 0.2, 0.4, 0.6, 0.8, 1]
///     niceTicks(-0.5, 127.5) // [0, 20, 40, 60, 80, 100, 120]
func niceTicks(_ low: Double, _ high: Double, maxTicks: Int = 7) -> (values: [Double], step: Double) {
    guard low.isFinite, high.isFinite, high > low else { return (low.isFinite ? [low] : [], 1) }
    let span = high - low
    let rough = span / Double(max(1, maxTicks - 1))
    let magnitude = pow(10, (log10(rough)).rounded(.down))
    var step = 10 * magnitude
    for multiple in [1, 2, 2.5, 5, 10] where multiple * magnitude >= rough * (1 - 1e-9) {
        step = multiple * magnitude
        break
    }
    let first = (low / step - 1e-9).rounded(.up)
    let last = (high / step + 1e-9).rounded(.down)
    var values: [Double] = []
    var k = first
    while k <= last {
        let v = k * step
        values.append(abs(v) < step * 1e-9 ? 0 : v)
        k += 1
    }
    return (values, step)
}

/// Labels for ticks `step` apart, all with the same number of decimals (as few as the step
/// needs), with a real minus sign "−" as matplotlib prints it: 0.0, 0.2, …; 0, 50, 100; 2.5, 5.0.
func tickLabels(_ values: [Double], step: Double) -> [String] {
    var decimals = 0
    while decimals < 8 {
        let scaled = step * pow(10, Double(decimals))
        if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { break }
        decimals += 1
    }
    return values.map { value in
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
    }
}
