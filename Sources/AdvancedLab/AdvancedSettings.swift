import Foundation
import UNetKit
import Notebook

/// How big the advanced lab's runs are: the synthetic vessel images, the networks' widths and
/// the training schedule shared by cell 4 (one UNet per loss) and cell 7 (the four networks).
///
///     AdvancedSettings.standard   // 96×96 images, 64×64 patches, up to 25 epochs × 40 steps
///     AdvancedSettings.quick      // 64×64 images, width 8, 10 epochs × 25 steps: about a minute and a half
///     AdvancedSettings.tiny       // for tests: 64×64, width 2, 1 epoch × 1 step
///
/// The networks are narrow (first-level width 8 instead of the papers' 16–64) so that all of
/// them train on two CPU cores within the lab's time; the lab says so where it trains them.
public struct AdvancedSettings: Sendable {
    /// "standard", "quick" or "tiny" (printed in the lab and the report).
    public var name: String
    /// Side of the synthetic fundus images (a multiple of 16, at least 64).
    public var size: Int
    /// Side of the training patches (seed 002's 64; a multiple of 16, at most `size`).
    public var patch: Int
    /// First-level width of every network (UNet, SA-UNet, Keras U-Net, DACRSE-UNet).
    public var width: Int
    /// Synthetic images drawn once: training, validation (early stopping), test (the tables).
    public var trainingImages: Int
    public var validationImages: Int
    public var testImages: Int
    /// Cell 7's schedule: at most `epochs` epochs of `stepsPerEpoch` Adam steps on batches of
    /// `batchSize` patches; StepLR ×`gamma` every `stepSize` epochs; stop after `patience`
    /// epochs without a lower validation loss and keep the best weights.
    public var epochs: Int
    public var stepsPerEpoch: Int
    public var batchSize: Int
    public var learningRate: Float
    public var stepSize: Int
    public var gamma: Double
    public var patience: Int
    /// Cell 4's schedule (one small UNet per loss): epochs of `stepsPerEpoch` steps.
    public var lossEpochs: Int
    /// DropBlock's drop probability in DACRSE-UNet (the seed's 0.5; see cell 7).
    public var dacrseDropBlockP: Double
    /// Seed of the data, the initial weights and the random masks.
    public var seed: UInt64

    public init(name: String, size: Int, patch: Int, width: Int, trainingImages: Int, validationImages: Int,
                testImages: Int, epochs: Int, stepsPerEpoch: Int, batchSize: Int, learningRate: Float, stepSize: Int,
                gamma: Double, patience: Int, lossEpochs: Int, dacrseDropBlockP: Double, seed: UInt64 = 1) {
        self.name = name; self.size = size; self.patch = patch; self.width = width
        self.trainingImages = trainingImages; self.validationImages = validationImages; self.testImages = testImages
        self.epochs = epochs; self.stepsPerEpoch = stepsPerEpoch; self.batchSize = batchSize
        self.learningRate = learningRate; self.stepSize = stepSize; self.gamma = gamma; self.patience = patience
        self.lossEpochs = lossEpochs; self.dacrseDropBlockP = dacrseDropBlockP; self.seed = seed
    }

    /// The default schedule (`make lab-advanced`): under 20 minutes on 2 cores.
    public static let standard = AdvancedSettings(
        name: "standard", size: 96, patch: 64, width: 8, trainingImages: 24, validationImages: 4, testImages: 6,
        epochs: 25, stepsPerEpoch: 40, batchSize: 4, learningRate: 3e-3, stepSize: 8, gamma: 0.5, patience: 5,
        lossEpochs: 12, dacrseDropBlockP: 0.1)

    /// A fast pass through every cell (`make lab-advanced QUICK=1`): under 2 minutes on 2 cores.
    public static let quick = AdvancedSettings(
        name: "quick", size: 64, patch: 64, width: 8, trainingImages: 12, validationImages: 2, testImages: 3,
        epochs: 10, stepsPerEpoch: 25, batchSize: 4, learningRate: 3e-3, stepSize: 4, gamma: 0.5, patience: 3,
        lossEpochs: 4, dacrseDropBlockP: 0.1)

    /// Seconds, for tests.
    public static let tiny = AdvancedSettings(
        name: "tiny", size: 64, patch: 64, width: 2, trainingImages: 2, validationImages: 1, testImages: 1,
        epochs: 1, stepsPerEpoch: 1, batchSize: 2, learningRate: 3e-3, stepSize: 1, gamma: 0.5, patience: 1,
        lossEpochs: 1, dacrseDropBlockP: 0.1)

    /// "96×96 images, 64×64 patches, width 8; up to 25 epochs × 40 steps × batch 4".
    public var scheduleDescription: String {
        "\(size)×\(size) images, \(patch)×\(patch) patches, width \(width); up to \(epochs) epoch\(epochs == 1 ? "" : "s") × "
            + "\(stepsPerEpoch) steps × batch \(batchSize)"
    }

    /// Throws a clear error for settings the networks cannot run with.
    public func validate() throws {
        func require(_ ok: Bool, _ message: @autoclosure () -> String) throws {
            if !ok { throw ConfigurationError("advanced lab: " + message()) }
        }
        try require(size >= 64 && size % 16 == 0 && size <= 512,
                    "the image size must be a multiple of 16 in 64…512 (the generator needs 64, the UNets halve 4 times), but got \(size)")
        try require(patch >= 64 && patch % 16 == 0 && patch <= size,
                    "the patch must be a multiple of 16 from 64 to the image size \(size), but got \(patch)")
        try require(width >= 1 && width <= 64, "the width must be in 1…64, but got \(width)")
        try require(trainingImages >= 1 && validationImages >= 1 && testImages >= 1,
                    "expected at least 1 training, validation and test image, but got \(trainingImages), \(validationImages), \(testImages)")
        try require(epochs >= 1 && stepsPerEpoch >= 1 && batchSize >= 1 && lossEpochs >= 1,
                    "epochs, steps, batch size and loss epochs must be at least 1, but got \(epochs), \(stepsPerEpoch), \(batchSize), \(lossEpochs)")
        try require(learningRate.isFinite && learningRate > 0, "the learning rate must be positive, but got \(learningRate)")
        try require(stepSize >= 1 && gamma > 0 && gamma <= 1 && patience >= 1,
                    "expected step size ≥ 1, 0 < γ ≤ 1, patience ≥ 1, but got \(stepSize), \(gamma), \(patience)")
        try require(dacrseDropBlockP >= 0 && dacrseDropBlockP < 1, "DropBlock's p must be in [0, 1), but got \(dacrseDropBlockP)")
    }
}
