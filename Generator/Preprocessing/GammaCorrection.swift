import Foundation

/// Gamma correction of an 8-bit grey image through a 256-entry table, as retina-unet's
/// `adjust_gamma` builds it: lut[i] = ⌊255 (i/255)^(1/γ)⌋ (NumPy's `astype(uint8)` truncates),
/// applied with `cv2.LUT`. γ > 1 brightens the dark levels (retina-unet uses γ = 1.2).
public enum GammaCorrection {
    /// The 256-entry table for `gamma`.
    /// - Throws: `GeneratorError` unless γ is finite and positive.
    public static func table(gamma: Double) throws -> [UInt8] {
        guard gamma.isFinite, gamma > 0 else {
            throw GeneratorError("GammaCorrection: gamma must be a finite number > 0, but got \(gamma)")
        }
        let inverse = 1.0 / gamma
        return (0..<256).map { i in UInt8(min(255, (pow(Double(i) / 255.0, inverse) * 255).rounded(.towardZero))) }
    }

    /// Every pixel v becomes lut[v].
    /// - Throws: `GeneratorError` unless γ is finite and positive.
    public static func apply(_ image: ByteImage, gamma: Double) throws -> ByteImage {
        let lut = try table(gamma: gamma)
        var out = image
        for i in out.pixels.indices { out.pixels[i] = lut[Int(out.pixels[i])] }
        return out
    }
}
