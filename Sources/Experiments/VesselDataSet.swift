import UNetKit
import SyntheticData

/// The synthetic vessel images of a run: a fixed training set and a held-out validation set,
/// both drawn once from the run's seed (the validation set from a different stream, so no
/// image is in both), preprocessed, channels last: images `[B, H, W, C]`, one-hot labels
/// `[B, H, W, 2]` (background, vessel), field of view `[B, H, W, 1]`.
public struct VesselDataSet {
    public var training: (images: Tensor, labels: Tensor, fov: Tensor)
    public var validation: (images: Tensor, labels: Tensor, fov: Tensor)

    /// The seed of the held-out images for a run seeded `seed`.
    public static func validationSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x5DEE_CE66_D1CE_4E5B }

    public init(options o: VesselTrainingOptions) throws {
        training = try Self.draw(count: o.trainingImages, size: o.size, colour: o.colour, seed: o.seed,
                                 preprocessing: o.preprocessing)
        validation = try Self.draw(count: o.validationImages, size: o.size, colour: o.colour,
                                   seed: Self.validationSeed(o.seed), preprocessing: o.preprocessing)
    }

    /// `count` fresh `size`×`size` images from `VesselDataProvider(seed:)`, preprocessed.
    public static func draw(count: Int, size: Int, colour: Bool, seed: UInt64, preprocessing: VesselPreprocessing) throws
        -> (images: Tensor, labels: Tensor, fov: Tensor) {
        let provider = try VesselDataProvider(nx: size, ny: size, rgb: colour, seed: seed)
        let (images, labels, fov) = try provider(count)
        return (try preprocessing.apply(images), labels, fov)
    }

    /// One training batch in NCHW: `batchSize` training images chosen with `rng`, each
    /// flipped/turned with `augmentation` (if any), then cut to one random `patch`×`patch`
    /// window centred inside the FOV (if `patch` is set).
    /// - Returns: images `[N, C, h, w]`, targets `[N, classes, h, w]` (1 class: the vessel map;
    ///   2: one-hot), fov `[N, 1, h, w]`.
    public func trainingBatch(batchSize: Int, patch: Int?, augmentation: JointAugmentation?, classes: Int,
                              using rng: inout SeededGenerator) throws -> (images: Tensor, targets: Tensor, fov: Tensor) {
        let count = training.images.shape[0]
        var samples: [SegmentationSample] = []
        for _ in 0..<batchSize {
            let index = count == 1 ? 0 : rng.integer(0, count)
            var sample = try SegmentationSample(images: training.images, labels: training.labels, fov: training.fov, index: index)
            if let augmentation { sample = try augmentation(sample, using: &rng) }
            samples.append(sample)
        }
        var (images, labels, fov) = try SegmentationSample.batch(samples, classes: 2)
        if let patch {
            (images, labels, fov) = try RandomPatches.draw(count: batchSize, size: patch, images: images, labels: labels,
                                                           fov: fov, using: &rng)
        }
        return (try images.nhwcToNCHW(), try Self.targets(labels, classes: classes), try fov.nhwcToNCHW())
    }

    /// One-hot labels `[N, H, W, 2]` → targets `[N, classes, H, W]` (the vessel channel alone when classes = 1).
    public static func targets(_ labels: Tensor, classes: Int) throws -> Tensor {
        let nchw = try labels.nhwcToNCHW()
        return classes == 2 ? nchw : try vesselChannel(nchw)
    }

    /// Channel 1 (vessel) of `[N, 2, H, W]` → `[N, 1, H, W]`.
    public static func vesselChannel(_ x: Tensor) throws -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var out = [Float](repeating: 0, count: n * h * w)
        for i in 0..<n { for p in 0..<(h * w) { out[i * h * w + p] = x.scalars[(i * c + c - 1) * h * w + p] } }
        return try Tensor(shape: [n, 1, h, w], scalars: out)
    }
}
