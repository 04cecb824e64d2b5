/// A colour with red, green and blue in [0, 1].
public struct RGBColor: Equatable, Sendable {
    public var red: Float, green: Float, blue: Float

    public init(red: Float, green: Float, blue: Float) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From a hex code like `0x1f77b4`.
    public init(hex: UInt32) {
        self.init(red: Float((hex >> 16) & 0xff) / 255, green: Float((hex >> 8) & 0xff) / 255,
                  blue: Float(hex & 0xff) / 255)
    }

    /// This colour mixed with white: `amount` 0 keeps it, 1 gives white (a "light" version).
    public func lightened(_ amount: Float) -> RGBColor {
        RGBColor(red: red + (1 - red) * amount, green: green + (1 - green) * amount,
                 blue: blue + (1 - blue) * amount)
    }

    /// The colour as 8-bit values, rounded.
    public var bytes: (UInt8, UInt8, UInt8) {
        func byte(_ v: Float) -> UInt8 { UInt8(min(max(v, 0), 1) * 255 + 0.5) }
        return (byte(red), byte(green), byte(blue))
    }

    public static let black = RGBColor(red: 0, green: 0, blue: 0)
    public static let white = RGBColor(red: 1, green: 1, blue: 1)

    /// matplotlib's default colour cycle ("tab10"): blue, orange, green, red, purple, …
    public static let tab10: [RGBColor] = [
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
    ].map { RGBColor(hex: $0) }
}
