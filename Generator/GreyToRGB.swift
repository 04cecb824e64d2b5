/// tf_unet's `to_rgb`: a grey value v in [0, 1] as red, green, blue in [0, 1].
///
///     R = clip(4 (v − 0.25))    G = clip(44 |v − 0.5| − 1)    B = clip(4 (0.75 − v))
///
/// where clip limits to [0, 1]. Dark pixels come out blue, bright ones red, and green marks
/// everything away from mid-grey.
@inlinable
public func greyToRGB(_ v: Float) -> (red: Float, green: Float, blue: Float) {
    func clip(_ x: Float) -> Float { min(max(x, 0), 1) }
    return (clip(4 * (v - 0.25)), clip(44 * abs(v - 0.5) - 1), clip(4 * (0.75 - v)))
}
