import UNetKit

/// The course's synthetic data: grey images of noisy filled circles and their one-hot labels.
///
///     let generator = try GrayScaleDataProvider(nx: 128, ny: 128, cnt: 10, sigma: 20, seed: 1)
///     let (x, y) = try generator(2)
///     print(x.shape)   // [2, 128, 128, 1]   B×H×W×C, as TensorFlow
///     print(y.shape)   // [2, 128, 128, 2]   channel 0 background, channel 1 circles
///     let input = try x.nhwcToNCHW()        // [2, 1, 128, 128] for the UNet
///
/// How one image is drawn is described in `ShapeDrawing`; the sizes in `ShapeGeometry`.
///
/// The provider is a class, like the Python object: every call continues one random stream,
/// so passing the provider to a function that draws (e.g. validation) gives fresh images
/// and advances the caller's stream. The same seed gives the same batches, bit for bit.
public final class GrayScaleDataProvider {
    /// Image width (columns, `nx`) and height (rows, `ny`).
    public let nx: Int, ny: Int
    /// Circles per image (`rectangles` adds `cnt / 2` squares).
    public let cnt: Int
    /// Standard deviation of the Gaussian noise, in grey levels (shapes are 1…254, background 1).
    public let sigma: Double
    /// Whether squares are drawn as a third class (labels then have 3 channels).
    public let rectangles: Bool
    /// The seed the random stream started from (print it to reproduce a run).
    public let seed: UInt64
    /// Border and radius range for this size.
    public let geometry: ShapeGeometry
    /// Image channels: 1.
    public var channels: Int { 1 }
    /// Label channels: 2 (background, circle), or 3 with `rectangles` (…, square).
    public var nClasses: Int { rectangles ? 3 : 2 }

    var rng: SeededGenerator

    /// Images larger than this many scalars per batch are refused (8 GiB of Float32).
    public static let maximumBatchScalars = 1 << 31

    /// - Parameters:
    ///   - nx: width in pixels, at least 16 (any value, square or not, power of two or not).
    ///   - ny: height in pixels, at least 16.
    ///   - cnt: circles per image, ≥ 0 (the course uses 10).
    ///   - sigma: noise standard deviation in grey levels, ≥ 0 (the course uses 20).
    ///   - rectangles: also draw `cnt / 2` squares as class 2.
    ///   - seed: seed of the random stream; `nil` picks one at random (see `seed`).
    /// - Throws: `GeneratorError` naming the parameter, what was expected and what was given.
    public convenience init(nx: Int, ny: Int, cnt: Int = 10, sigma: Double = 20, rectangles: Bool = false,
                            seed: UInt64? = nil) throws {
        try self.init(nx: nx, ny: ny, cnt: cnt, sigma: sigma, rectangles: rectangles, seed: seed,
                      caller: "GrayScaleDataProvider", channels: 1)
    }

    init(nx: Int, ny: Int, cnt: Int, sigma: Double, rectangles: Bool, seed: UInt64?,
         caller: String, channels: Int) throws {
        geometry = try ShapeGeometry(nx: nx, ny: ny, caller: caller)
        guard cnt >= 0 else {
            throw GeneratorError("\(caller): cnt (circles per image) must be 0 or more, but got \(cnt)")
        }
        guard sigma >= 0, sigma.isFinite else {
            throw GeneratorError("\(caller): sigma (noise standard deviation) must be a finite number ≥ 0, "
                                 + "but got \(sigma)")
        }
        let perImage = nx.multipliedReportingOverflow(by: ny)
        guard !perImage.overflow, perImage.partialValue * max(channels, 3) <= Self.maximumBatchScalars else {
            throw GeneratorError("\(caller): a \(nx)×\(ny) image is too large: expected at most "
                                 + "\(Self.maximumBatchScalars) scalars per image and label")
        }
        let maximumCount = 1_000_000
        guard cnt <= maximumCount else {
            throw GeneratorError("\(caller): cnt (circles per image) must be at most \(maximumCount), "
                                 + "but got \(cnt)")
        }
        self.nx = nx
        self.ny = ny
        self.cnt = cnt
        self.sigma = sigma
        self.rectangles = rectangles
        let chosen = seed ?? UInt64.random(in: 0...UInt64.max)
        self.seed = chosen
        rng = SeededGenerator(seed: chosen)
    }

    /// Draws the next image of the stream with its class map and the shapes drawn.
    public func nextSample() -> ShapeSample {
        ShapeDrawing.draw(geometry: geometry, cnt: cnt, sigma: sigma, rectangles: rectangles, using: &rng)
    }

    /// Draws `n` images: `images` is `n × ny × nx × 1` with values in [0, 1]; `labels` is
    /// `n × ny × nx × nClasses`, one-hot (channel 0 background, 1 circle, 2 square).
    /// - Throws: `GeneratorError` when `n < 1` or the batch would be too large.
    public func callAsFunction(_ n: Int) throws -> (images: Tensor, labels: Tensor) {
        try checkBatch(n, channels: 1, caller: "GrayScaleDataProvider")
        let plane = ny * nx
        var images = [Float](repeating: 0, count: n * plane)
        var labels = [Float](repeating: 0, count: n * plane * nClasses)
        for i in 0..<n {
            let sample = nextSample()
            images.replaceSubrange(i * plane ..< (i + 1) * plane, with: sample.image)
            writeOneHot(sample.classMap, into: &labels, at: i * plane * nClasses)
        }
        return (try Tensor(shape: [n, ny, nx, 1], scalars: images),
                try Tensor(shape: [n, ny, nx, nClasses], scalars: labels))
    }

    func checkBatch(_ n: Int, channels: Int, caller: String) throws {
        guard n >= 1 else {
            throw GeneratorError("\(caller): the number of images must be at least 1, but got \(n)")
        }
        let scalars = n.multipliedReportingOverflow(by: ny * nx * max(channels, nClasses))
        guard !scalars.overflow, scalars.partialValue <= Self.maximumBatchScalars else {
            throw GeneratorError("\(caller): a batch of \(n) images of \(nx)×\(ny) is too large: expected at most "
                                 + "\(Self.maximumBatchScalars) scalars (8 GiB) per tensor; draw smaller batches")
        }
    }

    func writeOneHot(_ classMap: [UInt8], into labels: inout [Float], at offset: Int) {
        let k = nClasses
        for (p, c) in classMap.enumerated() { labels[offset + p * k + Int(c)] = 1 }
    }
}
