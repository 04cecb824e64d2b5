import UNetKit

/// Every setting of a vessel training run (`unetlab train --data vessels`), range-checked by
/// `validate()` before anything is built.
public struct VesselTrainingOptions: Sendable, Equatable {
    /// `NetworkCatalog` name.
    public var network = "unet"
    /// Width of the first level (the course's UNet: 64).
    public var width = 8
    /// Output channels: 1 (vessel logit/probability) or 2 (background, vessel); nil: the network's default.
    public var classes: Int?
    public var epochs = 10
    public var stepsPerEpoch = 20
    public var batchSize = 4
    /// Height and width of the synthetic images.
    public var size = 128
    /// Side of the square training patches (centre inside the FOV), or nil for whole images.
    public var patch: Int?
    /// Synthetic images drawn once for training, and held out for validation.
    public var trainingImages = 16
    public var validationImages = 4
    /// Colour (RGB) fundus images instead of grey.
    public var colour = false
    public var preprocessing = VesselPreprocessing.none
    /// Random flips and quarter turns of image, mask and FOV together.
    public var augment = true
    public var loss = LossChoice.bce
    public var optimizer = OptimizerChoice.adam
    public var learningRate: Float = 1e-3
    public var schedule = ScheduleChoice.none
    /// StepLR: epochs between decays, and the factor.
    public var stepSize = 10
    public var gamma = 0.1
    /// Stop after this many epochs without a lower validation loss (nil: never), then keep the best weights.
    public var earlyStoppingPatience: Int?
    /// Drop probability of every `DropBlock2d` in the network (nil: the network's own, e.g.
    /// SA-UNet 0.18, DACRSE-UNet 0.5). Only for networks that have DropBlock.
    public var dropBlockP: Double?
    public var seed: UInt64 = 1

    public init() {}

    /// The network's output channels.
    public func resolvedClasses() throws -> Int { try classes ?? NetworkCatalog.entry(named: network).defaultClasses }

    /// - Throws: `ConfigurationError` naming the option, its allowed range and the value given.
    public func validate() throws {
        func require(_ ok: Bool, _ message: @autoclosure () -> String) throws {
            if !ok { throw ConfigurationError(message()) }
        }
        let entry = try NetworkCatalog.entry(named: network)
        try require(width >= 1 && width <= 512, "--width must be in 1…512, but got \(width)")
        if let classes { try require(classes == 1 || classes == 2, "--classes must be 1 or 2, but got \(classes)") }
        try require(epochs >= 1 && epochs <= 100_000, "--epochs must be in 1…100000, but got \(epochs)")
        try require(stepsPerEpoch >= 1 && stepsPerEpoch <= 1_000_000, "--steps must be in 1…1000000, but got \(stepsPerEpoch)")
        try require(batchSize >= 1 && batchSize <= 1024, "--batch must be in 1…1024, but got \(batchSize)")
        let d = entry.sizeDivisor
        try require(size >= 32 && size <= 1024 && size % d == 0,
                    "--size must be a multiple of \(d) in 32…1024 (\(entry.displayName) halves the image "
                    + "\(entry.downsamplings) times; the vessel generator needs at least 32), but got \(size)")
        if let patch {
            try require(patch >= d && patch <= size && patch % d == 0,
                        "--patch must be a multiple of \(d) in \(d)…\(size) (the image size), but got \(patch)")
        }
        try require(trainingImages >= 1 && trainingImages <= 10_000, "--train-images must be in 1…10000, but got \(trainingImages)")
        try require(validationImages >= 1 && validationImages <= 10_000, "--val-images must be in 1…10000, but got \(validationImages)")
        try require(learningRate.isFinite && learningRate > 0 && learningRate <= 10,
                    "--lr must be a number in (0, 10], but got \(learningRate)")
        try require(stepSize >= 1, "--step-size must be at least 1, but got \(stepSize)")
        try require(gamma.isFinite && gamma > 0 && gamma <= 1, "--gamma must be in (0, 1], but got \(gamma)")
        if let p = earlyStoppingPatience {
            try require(p >= 1 && p <= 100_000, "--early-stopping must be in 1…100000 epochs, but got \(p)")
        }
        if let p = dropBlockP {
            try require(p.isFinite && p >= 0 && p < 1, "--drop-block must be a probability in [0, 1), but got \(p)")
        }
        try loss.check(output: entry.output, classes: try resolvedClasses())
    }

    /// The settings a checkpoint must share with the run that resumes it (everything but the
    /// number of epochs and the patience), as text for the checkpoint's metadata.
    public var resumeKey: String {
        [network, "\(width)", "\(classes.map(String.init) ?? "-")", "\(stepsPerEpoch)", "\(batchSize)", "\(size)",
         "\(patch.map(String.init) ?? "-")", "\(trainingImages)", "\(validationImages)", "\(colour)",
         preprocessing.rawValue, "\(augment)", loss.rawValue, optimizer.rawValue, "\(learningRate)",
         schedule.rawValue, "\(stepSize)", "\(gamma)", "\(seed)"].joined(separator: " ")
            + (dropBlockP.map { " drop-block \($0)" } ?? "")
    }
}
