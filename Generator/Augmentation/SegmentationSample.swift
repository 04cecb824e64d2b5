import UNetKit

/// One image with its class mask and field of view: the unit that joint augmentation moves.
public struct SegmentationSample: Equatable, Sendable {
    /// Width (columns), height (rows) and image channels.
    public let nx: Int, ny: Int, channels: Int
    /// The image, `ny × nx × channels`, channels interleaved (B×H×W×C without the B).
    public var image: [Float]
    /// The class of every pixel, `ny × nx`, row-major (0 background, 1 vessel, …).
    public var mask: [UInt8]
    /// 1 inside the field of view, 0 outside, `ny × nx`, row-major.
    public var fov: [UInt8]

    /// - Throws: `GeneratorError` when a size is not positive or an array has the wrong length.
    public init(nx: Int, ny: Int, channels: Int, image: [Float], mask: [UInt8], fov: [UInt8]) throws {
        guard nx >= 1, ny >= 1, channels >= 1 else {
            throw GeneratorError("SegmentationSample: sizes must be positive, but got \(nx)×\(ny)×\(channels)")
        }
        guard image.count == nx * ny * channels, mask.count == nx * ny, fov.count == nx * ny else {
            throw GeneratorError("SegmentationSample: a \(nx)×\(ny)×\(channels) sample needs \(nx * ny * channels) image "
                                 + "values and \(nx * ny) mask and FOV values, but got \(image.count), \(mask.count) "
                                 + "and \(fov.count)")
        }
        self.nx = nx
        self.ny = ny
        self.channels = channels
        self.image = image
        self.mask = mask
        self.fov = fov
    }

    /// For transforms that build the arrays themselves (sizes already consistent).
    init(unchecked nx: Int, ny: Int, channels: Int, image: [Float], mask: [UInt8], fov: [UInt8]) {
        self.nx = nx
        self.ny = ny
        self.channels = channels
        self.image = image
        self.mask = mask
        self.fov = fov
    }

    /// Sample `index` of a generator batch: images [B, H, W, C], one-hot labels [B, H, W, K]
    /// (the mask is their argmax) and fov [B, H, W, 1] (1 where > 0.5).
    /// - Throws: `GeneratorError` when the shapes do not fit together or the index is out of range.
    public init(images: Tensor, labels: Tensor, fov: Tensor, index: Int) throws {
        guard images.rank == 4, labels.rank == 4, fov.rank == 4,
              labels.shape.prefix(3) == images.shape.prefix(3), fov.shape == Array(images.shape.prefix(3)) + [1] else {
            throw GeneratorError("SegmentationSample: expected images [B, H, W, C], labels [B, H, W, K] and fov "
                                 + "[B, H, W, 1], but got \(shapeString(images.shape)), \(shapeString(labels.shape)) "
                                 + "and \(shapeString(fov.shape))")
        }
        let (b, h, w, c) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        guard index >= 0, index < b else {
            throw GeneratorError("SegmentationSample: index \(index) is out of range 0..<\(b)")
        }
        let plane = h * w
        let image = Array(images.scalars[(index * plane * c) ..< ((index + 1) * plane * c)])
        let mask = try BatchSlices.classIndexMap(of: labels, sample: index).map { UInt8($0) }
        let inside = (0..<plane).map { fov.scalars[index * plane + $0] > 0.5 ? UInt8(1) : 0 }
        try self.init(nx: w, ny: h, channels: c, image: image, mask: mask, fov: inside)
    }

    /// Stacks samples of one size into images [B, H, W, C], one-hot labels [B, H, W, classes]
    /// and fov [B, H, W, 1].
    /// - Throws: `GeneratorError` when the list is empty, sizes differ or a class is ≥ `classes`.
    public static func batch(_ samples: [SegmentationSample], classes: Int = 2) throws
        -> (images: Tensor, labels: Tensor, fov: Tensor) {
        guard let first = samples.first else { throw GeneratorError("SegmentationSample.batch: no samples") }
        guard samples.allSatisfy({ $0.nx == first.nx && $0.ny == first.ny && $0.channels == first.channels }) else {
            throw GeneratorError("SegmentationSample.batch: all samples must be \(first.nx)×\(first.ny)×\(first.channels)")
        }
        let plane = first.nx * first.ny
        var images: [Float] = [], labels = [Float](repeating: 0, count: samples.count * plane * classes), fov: [Float] = []
        for (n, s) in samples.enumerated() {
            images.append(contentsOf: s.image)
            fov.append(contentsOf: s.fov.map(Float.init))
            for p in 0..<plane {
                guard Int(s.mask[p]) < classes else {
                    throw GeneratorError("SegmentationSample.batch: sample \(n) has class \(s.mask[p]), expected < \(classes)")
                }
                labels[(n * plane + p) * classes + Int(s.mask[p])] = 1
            }
        }
        let shape = [samples.count, first.ny, first.nx]
        return (try Tensor(shape: shape + [first.channels], scalars: images),
                try Tensor(shape: shape + [classes], scalars: labels),
                try Tensor(shape: shape + [1], scalars: fov))
    }
}
