/// An 8-bit grey image: `height × width` values 0…255, row-major — what OpenCV calls a
/// `CV_8UC1` matrix. The preprocessing steps that OpenCV defines on 8-bit images
/// (`HistogramEqualization`, `CLAHE`, `GammaCorrection`) work on this type.
public struct ByteImage: Equatable, Sendable {
    /// Columns and rows.
    public let width: Int, height: Int
    /// The grey values, row-major (`pixels[row * width + column]`).
    public var pixels: [UInt8]

    /// - Throws: `GeneratorError` when a side is not positive or `pixels.count ≠ width × height`.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width >= 1, height >= 1 else {
            throw GeneratorError("ByteImage: width and height must be at least 1, but got \(width)×\(height)")
        }
        guard pixels.count == width * height else {
            throw GeneratorError("ByteImage: a \(width)×\(height) image needs \(width * height) pixels, "
                                 + "but got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// From values in [0, 1]: each becomes round(255 v), clamped to 0…255 (NaN → 0).
    /// - Throws: `GeneratorError` as `init(width:height:pixels:)`.
    public init(unitValues values: [Float], width: Int, height: Int) throws {
        try self.init(width: width, height: height, pixels: values.map { v in
            guard v.isFinite else { return 0 }
            return UInt8(min(255, max(0, (v * 255).rounded(.toNearestOrEven))))
        })
    }

    /// The values divided by 255, in [0, 1].
    public func unitValues() -> [Float] { pixels.map { Float($0) / 255 } }
}
