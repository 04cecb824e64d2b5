import UNetKit

/// The course's shapes as colour images: `GrayScaleDataProvider`'s grey mapped through
/// `greyToRGB` (tf_unet's `RgbDataProvider`).
///
///     let generator = try RgbDataProvider(nx: 128, ny: 128, seed: 1)
///     let (x, y) = try generator(2)
///     print(x.shape)   // [2, 128, 128, 3]
///     print(y.shape)   // [2, 128, 128, 2]
///
/// With the same parameters and seed it draws the same shapes and labels as the grey provider.
public final class RgbDataProvider {
    /// The grey provider that draws the shapes.
    public let grey: GrayScaleDataProvider
    /// Image channels: 3 (red, green, blue).
    public var channels: Int { 3 }
    /// Label channels: 2, or 3 with `rectangles`.
    public var nClasses: Int { grey.nClasses }
    public var nx: Int { grey.nx }
    public var ny: Int { grey.ny }
    public var seed: UInt64 { grey.seed }

    /// Same parameters as `GrayScaleDataProvider.init`.
    /// - Throws: `GeneratorError` naming the parameter, what was expected and what was given.
    public init(nx: Int, ny: Int, cnt: Int = 10, sigma: Double = 20, rectangles: Bool = false,
                seed: UInt64? = nil) throws {
        grey = try GrayScaleDataProvider(nx: nx, ny: ny, cnt: cnt, sigma: sigma, rectangles: rectangles,
                                         seed: seed, caller: "RgbDataProvider", channels: 3)
    }

    /// Draws `n` images: `images` is `n × ny × nx × 3` (R, G, B in [0, 1]); `labels` is
    /// `n × ny × nx × nClasses`, one-hot.
    /// - Throws: `GeneratorError` when `n < 1` or the batch would be too large.
    public func callAsFunction(_ n: Int) throws -> (images: Tensor, labels: Tensor) {
        try grey.checkBatch(n, channels: 3, caller: "RgbDataProvider")
        let plane = ny * nx
        var images = [Float](repeating: 0, count: n * plane * 3)
        var labels = [Float](repeating: 0, count: n * plane * nClasses)
        for i in 0..<n {
            let sample = grey.nextSample()
            for p in 0..<plane {
                let (r, g, b) = greyToRGB(sample.image[p])
                let o = (i * plane + p) * 3
                images[o] = r
                images[o + 1] = g
                images[o + 2] = b
            }
            grey.writeOneHot(sample.classMap, into: &labels, at: i * plane * nClasses)
        }
        return (try Tensor(shape: [n, ny, nx, 3], scalars: images),
                try Tensor(shape: [n, ny, nx, nClasses], scalars: labels))
    }
}
