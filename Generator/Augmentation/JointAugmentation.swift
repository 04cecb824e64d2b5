import UNetKit

/// Seeded random augmentation of image, mask and FOV together (the albumentations idea):
/// geometric transforms move all three the same way; noise and jitter touch the image only.
///
///     var rng = SeededGenerator(seed: 1)
///     let augment = try JointAugmentation(maxRotation: .pi / 12, cropSize: (48, 48), noiseSigma: 0.02)
///     let augmented = try augment(sample, using: &rng)
///
/// In this order, each step drawn from `rng`:
/// 1. flip left–right with probability `flipProbability`, then top–bottom with the same;
/// 2. `quarterTurns`: a uniform number of 90° turns 0…3 (only for square samples, so the
///    size is kept — non-square samples are not turned);
/// 3. a rotation by U(−maxRotation, maxRotation) (skipped when 0);
/// 4. a random crop of `cropSize` (height, width), top-left corner uniform over the windows
///    that fit;
/// 5. brightness U(−b, b), contrast U(1 − c, 1 + c) and per-channel gains U(1 − g, 1 + g)
///    (`PhotometricTransforms.jitter`; skipped when all three are 0);
/// 6. Gaussian noise of σ = `noiseSigma`.
public struct JointAugmentation: Sendable {
    public var flipProbability: Double
    public var quarterTurns: Bool
    /// Largest rotation angle in radians (0: none).
    public var maxRotation: Double
    /// (height, width) of the random crop, or nil for none.
    public var cropSize: (height: Int, width: Int)?
    public var brightness: Double, contrast: Double, colour: Double
    public var noiseSigma: Double

    /// - Throws: `GeneratorError` for a probability outside [0, 1], a negative or non-finite
    ///   range, or a crop size below 1.
    public init(flipProbability: Double = 0.5, quarterTurns: Bool = true, maxRotation: Double = 0,
                cropSize: (height: Int, width: Int)? = nil, brightness: Double = 0, contrast: Double = 0,
                colour: Double = 0, noiseSigma: Double = 0) throws {
        guard flipProbability.isFinite, (0...1).contains(flipProbability) else {
            throw GeneratorError("JointAugmentation: flipProbability must be in [0, 1], but got \(flipProbability)")
        }
        for (name, value) in [("maxRotation", maxRotation), ("brightness", brightness), ("contrast", contrast),
                              ("colour", colour), ("noiseSigma", noiseSigma)] {
            guard value.isFinite, value >= 0 else {
                throw GeneratorError("JointAugmentation: \(name) must be a finite number ≥ 0, but got \(value)")
            }
        }
        if let crop = cropSize, crop.height < 1 || crop.width < 1 {
            throw GeneratorError("JointAugmentation: cropSize must be at least 1×1, but got \(crop.height)×\(crop.width)")
        }
        self.flipProbability = flipProbability
        self.quarterTurns = quarterTurns
        self.maxRotation = maxRotation
        self.cropSize = cropSize
        self.brightness = brightness
        self.contrast = contrast
        self.colour = colour
        self.noiseSigma = noiseSigma
    }

    /// - Throws: `GeneratorError` when the crop is larger than the sample.
    public func callAsFunction(_ sample: SegmentationSample, using rng: inout SeededGenerator) throws -> SegmentationSample {
        var s = sample
        if rng.nextUnit() < flipProbability { s = GeometricTransforms.flipHorizontal(s) }
        if rng.nextUnit() < flipProbability { s = GeometricTransforms.flipVertical(s) }
        if quarterTurns && s.nx == s.ny { s = GeometricTransforms.rotate90(s, quarterTurns: rng.integer(0, 4)) }
        if maxRotation > 0 { s = GeometricTransforms.rotate(s, angle: rng.uniform(-maxRotation, maxRotation)) }
        if let crop = cropSize {
            guard crop.height <= s.ny, crop.width <= s.nx else {
                throw GeneratorError("JointAugmentation: a \(crop.height)×\(crop.width) crop does not fit a "
                                     + "\(s.ny)×\(s.nx) sample (rows×columns)")
            }
            s = try GeometricTransforms.crop(s, top: rng.integer(0, s.ny - crop.height + 1),
                                             left: rng.integer(0, s.nx - crop.width + 1),
                                             height: crop.height, width: crop.width)
        }
        if brightness > 0 || contrast > 0 || colour > 0 {
            let b = Float(rng.uniform(-brightness, brightness))
            let c = Float(rng.uniform(1 - contrast, 1 + contrast))
            let gains = colour > 0 ? (0..<s.channels).map { _ in Float(rng.uniform(1 - colour, 1 + colour)) } : []
            s = PhotometricTransforms.jitter(s, brightness: b, contrast: c, channelGains: gains)
        }
        if noiseSigma > 0 { s = PhotometricTransforms.addGaussianNoise(s, sigma: noiseSigma, using: &rng) }
        return s
    }
}
