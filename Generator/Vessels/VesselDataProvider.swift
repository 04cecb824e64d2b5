import UNetKit

/// Synthetic retinal-vessel images: fundus-like pictures, their one-hot vessel labels and the
/// field-of-view masks, drawn from a seeded random stream.
///
///     let generator = try VesselDataProvider(nx: 128, ny: 128, seed: 1)
///     let (x, y, fov) = try generator(2)
///     print(x.shape)     // [2, 128, 128, 1]   B×H×W×C (3 with rgb: true)
///     print(y.shape)     // [2, 128, 128, 2]   channel 0 background, channel 1 vessel
///     print(fov.shape)   // [2, 128, 128, 1]   1 inside the circular field of view
///
/// Vessels cover about 10–15 % of the field of view (more at larger sizes), as in DRIVE;
/// they are darker than the background. How an image is drawn is described in `FundusDrawing`
/// and `VesselTreeGrowth`; the sizes in `FundusGeometry`.
///
/// Like `GrayScaleDataProvider` the provider is a class: every call continues one random
/// stream, and the same seed gives the same batches, bit for bit.
public final class VesselDataProvider {
    /// Image width (columns, `nx`) and height (rows, `ny`).
    public let nx: Int, ny: Int
    /// Whether images are RGB (red = clip(1.25 g + 0.25), green g, blue 0.4 g) or grey (g).
    public let rgb: Bool
    /// Standard deviation of the Gaussian noise added to the grey values in [0, 1].
    public let sigma: Double
    /// The seed the random stream started from.
    public let seed: UInt64
    /// Field of view and widths for this size.
    public let geometry: FundusGeometry
    /// Image channels: 1, or 3 with `rgb`.
    public var channels: Int { rgb ? 3 : 1 }
    /// Label channels: 2 (background, vessel).
    public var nClasses: Int { 2 }

    var rng: SeededGenerator

    /// - Parameters:
    ///   - nx: width in pixels, at least 64.
    ///   - ny: height in pixels, at least 64.
    ///   - rgb: draw colour images (3 channels) instead of grey.
    ///   - sigma: noise standard deviation on the [0, 1] scale, 0…1 (default 0.02).
    ///   - seed: seed of the random stream; `nil` picks one at random (see `seed`).
    /// - Throws: `GeneratorError` naming the parameter, what was expected and what was given.
    public init(nx: Int, ny: Int, rgb: Bool = false, sigma: Double = 0.02, seed: UInt64? = nil) throws {
        geometry = try FundusGeometry(nx: nx, ny: ny)
        guard sigma.isFinite, sigma >= 0, sigma <= 1 else {
            throw GeneratorError("VesselDataProvider: sigma (noise standard deviation on the [0, 1] scale) "
                                 + "must be a finite number in 0…1, but got \(sigma)")
        }
        let perImage = nx.multipliedReportingOverflow(by: ny)
        guard !perImage.overflow, perImage.partialValue * 3 <= GrayScaleDataProvider.maximumBatchScalars else {
            throw GeneratorError("VesselDataProvider: a \(nx)×\(ny) image is too large: expected at most "
                                 + "\(GrayScaleDataProvider.maximumBatchScalars) scalars per image and label")
        }
        self.nx = nx
        self.ny = ny
        self.rgb = rgb
        self.sigma = sigma
        let chosen = seed ?? UInt64.random(in: 0...UInt64.max)
        self.seed = chosen
        rng = SeededGenerator(seed: chosen)
    }

    /// Draws the next image of the stream (grey) with its vessel map, FOV and tree description.
    public func nextSample() -> VesselSample {
        FundusDrawing.draw(geometry: geometry, sigma: sigma, using: &rng)
    }

    /// Draws `n` images: `images` is `n × ny × nx × channels` in [0, 1]; `labels` is
    /// `n × ny × nx × 2`, one-hot (channel 0 background, 1 vessel); `fov` is `n × ny × nx × 1`
    /// (1 inside the field of view). Outside the FOV images are 0 and labels background.
    /// - Throws: `GeneratorError` when `n < 1` or the batch would be too large.
    public func callAsFunction(_ n: Int) throws -> (images: Tensor, labels: Tensor, fov: Tensor) {
        guard n >= 1 else {
            throw GeneratorError("VesselDataProvider: the number of images must be at least 1, but got \(n)")
        }
        let plane = ny * nx
        let scalars = n.multipliedReportingOverflow(by: plane * 3)
        guard !scalars.overflow, scalars.partialValue <= GrayScaleDataProvider.maximumBatchScalars else {
            throw GeneratorError("VesselDataProvider: a batch of \(n) images of \(nx)×\(ny) is too large: expected "
                                 + "at most \(GrayScaleDataProvider.maximumBatchScalars) scalars per tensor")
        }
        let c = channels
        var images = [Float](repeating: 0, count: n * plane * c)
        var labels = [Float](repeating: 0, count: n * plane * 2)
        var fov = [Float](repeating: 0, count: n * plane)
        for i in 0..<n {
            let sample = nextSample()
            for p in 0..<plane {
                let g = sample.image[p]
                if rgb {
                    let inside: Float = sample.fovMask[p] == 1 ? 1 : 0
                    images[(i * plane + p) * 3] = min(1, 1.25 * g + 0.25) * inside
                    images[(i * plane + p) * 3 + 1] = g
                    images[(i * plane + p) * 3 + 2] = 0.4 * g
                } else {
                    images[i * plane + p] = g
                }
                labels[(i * plane + p) * 2 + Int(sample.vesselMap[p])] = 1
                fov[i * plane + p] = Float(sample.fovMask[p])
            }
        }
        return (try Tensor(shape: [n, ny, nx, c], scalars: images),
                try Tensor(shape: [n, ny, nx, 2], scalars: labels),
                try Tensor(shape: [n, ny, nx, 1], scalars: fov))
    }
}
