import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// How big the lab's runs are: image size, network width, training schedule, how many images
/// the worst-sample search scores and how large the convolution benchmark is.
///
///     LabSettings.course   // the course's schedule: 5 epochs × 50 steps × batch 4, 128×128
///     LabSettings.quick    // a fast pass: 1 epoch × 10 steps × batch 4, 64×64
///     LabSettings.tiny     // for tests: base width 4, 32×32, 1 epoch × 2 steps
public struct LabSettings: Sendable {
    /// A short name printed in the lab and the report ("course", "quick", "tiny").
    public var name: String
    /// Image height and width (a multiple of 16: UNet halves the image four times).
    public var size: Int
    /// Width of the networks' first level (the course's: 64).
    public var base: Int
    /// Epochs, steps, batch size, SGD settings — the same for all three networks.
    public var training: TrainingConfiguration
    /// Seed of the data and of the initial weights (each network starts from the same seed).
    public var seed: UInt64
    /// Question 5: fresh images scored by Dice, and how many of the worst are drawn.
    public var worstCandidates: Int
    public var worstKept: Int
    /// The naive-vs-BLAS timing of the appendix: channels in and out, image side, repeats.
    public var benchmarkChannels: Int
    public var benchmarkSize: Int
    public var benchmarkRepeats: Int

    public init(name: String, size: Int, base: Int, training: TrainingConfiguration, seed: UInt64 = 1,
                worstCandidates: Int, worstKept: Int, benchmarkChannels: Int, benchmarkSize: Int,
                benchmarkRepeats: Int) {
        self.name = name; self.size = size; self.base = base; self.training = training; self.seed = seed
        self.worstCandidates = worstCandidates; self.worstKept = worstKept
        self.benchmarkChannels = benchmarkChannels; self.benchmarkSize = benchmarkSize
        self.benchmarkRepeats = benchmarkRepeats
    }

    /// The course's schedule (batch 4, as the course's own run used; the seed's text says 32).
    public static let course = LabSettings(
        name: "course", size: 128, base: 64, training: TrainingConfiguration(epochs: 5, stepsPerEpoch: 50, batchSize: 4),
        worstCandidates: 20, worstKept: 3, benchmarkChannels: 64, benchmarkSize: 128, benchmarkRepeats: 3)

    /// A fast pass through every cell: the course's networks on 64×64 images, 10 steps each.
    public static let quick = LabSettings(
        name: "quick", size: 64, base: 64, training: TrainingConfiguration(epochs: 1, stepsPerEpoch: 10, batchSize: 4),
        worstCandidates: 8, worstKept: 2, benchmarkChannels: 32, benchmarkSize: 64, benchmarkRepeats: 1)

    /// Seconds, for tests: narrow networks on 32×32 images, 2 steps each.
    public static var tiny: LabSettings {
        var training = TrainingConfiguration(epochs: 1, stepsPerEpoch: 2, batchSize: 2)
        training.logEvery = 2
        return LabSettings(name: "tiny", size: 32, base: 4, training: training, worstCandidates: 3, worstKept: 1,
                           benchmarkChannels: 2, benchmarkSize: 8, benchmarkRepeats: 1)
    }

    /// "5 epochs × 50 steps × batch 4, 128×128 images".
    public var scheduleDescription: String {
        "\(training.epochs) epoch\(training.epochs == 1 ? "" : "s") × \(training.stepsPerEpoch) steps × batch "
            + "\(training.batchSize), \(size)×\(size) images" + (base == 64 ? "" : ", base width \(base)")
    }

    /// Throws a clear error for settings the networks cannot run with.
    public func validate() throws {
        try training.validate()
        guard size >= 16, size % 16 == 0 else {
            throw ConfigurationError("the lab's image size must be a multiple of 16 (UNet halves it four times), but got \(size)")
        }
        guard base >= 1 else { throw ConfigurationError("the lab's base width must be at least 1, but got \(base)") }
        guard worstCandidates >= 1, worstKept >= 1, worstKept <= worstCandidates else {
            throw ConfigurationError("worst samples: expected 1 ≤ kept ≤ candidates, but got \(worstKept) of \(worstCandidates)")
        }
        guard benchmarkChannels >= 1, benchmarkSize >= 3, benchmarkRepeats >= 1 else {
            throw ConfigurationError("benchmark: expected channels ≥ 1, size ≥ 3, repeats ≥ 1, but got "
                             + "\(benchmarkChannels), \(benchmarkSize), \(benchmarkRepeats)")
        }
    }
}
