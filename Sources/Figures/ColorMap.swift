/// Colour maps from a value in [0, 1] to a colour, as in matplotlib.
///
/// - `gray`: black → white.
/// - `viridis`: matplotlib's default for `imshow` (dark purple #440154 → yellow #fde725),
///   perceptually uniform, readable in grey and by colour-blind readers.
/// - `hot`: black → red → yellow → white, the course's map for probability heat maps.
public enum ColorMap: String, CaseIterable, Sendable {
    case gray, viridis, hot

    /// The colour at `t`; values outside [0, 1] are clamped, NaN maps to 0. Like matplotlib,
    /// `t` first picks one of 256 entries (`index = min(⌊256 t⌋, 255)`), so the colours are
    /// exactly matplotlib's.
    public func color(at t: Float) -> RGBColor {
        let clamped = t.isNaN ? 0 : min(max(t, 0), 1)
        let index = min(Int(clamped * 256), 255)
        let t = Float(index) / 255
        switch self {
        case .gray:
            return RGBColor(red: t, green: t, blue: t)
        case .viridis:
            let (r, g, b) = viridisTable[index]
            return RGBColor(red: r, green: g, blue: b)
        case .hot:
            // matplotlib's _hot_data segments: red 0 → 1 on [0, 0.365079], green on
            // [0.365079, 0.746032], blue on [0.746032, 1]; the start values are 0.0416, 0, 0.
            let red = t < 0.365079 ? 0.0416 + (1 - 0.0416) * t / 0.365079 : 1
            let green = t < 0.365079 ? 0 : min(1, (t - 0.365079) / (0.746032 - 0.365079))
            let blue = t < 0.746032 ? 0 : (t - 0.746032) / (1 - 0.746032)
            return RGBColor(red: red, green: green, blue: blue)
        }
    }
}
