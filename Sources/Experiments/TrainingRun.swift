import Foundation
import UNetKit
import SegmentationModels
import LabExercises
import SyntheticData
import Figures

/// A whole training run from the command line: the course's data, network and schedule, and
/// every output written into one folder — the loss curve, prediction figures, the per-step
/// losses and the weights.
public struct TrainingRun {
    public var model: ModelDescription
    public var configuration: TrainingConfiguration
    /// Image height and width.
    public var size: Int
    public var seed: UInt64
    public var outputDirectory: String
    /// Where UNet_shallow and UNet_add come from: the student's `Labs` or the reference `Solutions`.
    public var exercises: ExerciseSet

    public init(model: ModelDescription, configuration: TrainingConfiguration, size: Int, seed: UInt64,
                outputDirectory: String, exercises: ExerciseSet) {
        self.model = model; self.configuration = configuration; self.size = size; self.seed = seed
        self.outputDirectory = outputDirectory
        self.exercises = exercises
    }

    /// The files a run writes, relative to the output folder.
    public var weightsFile: String { "\(model.kind.rawValue).safetensors" }
    public static let lossCurveFile = "loss_curve.png"
    public static let lossesFile = "losses.csv"

    /// Trains, then writes the outputs — the weights first, then `losses.csv`, then the figures —
    /// into a staging folder that replaces the output folder in one step (`RunFolder`): the
    /// folder always holds the previous run or the complete new one.
    ///
    /// When `shouldStop` says yes (Ctrl-C or SIGTERM: `Interruption`), the training ends after
    /// the current step, the weights so far and `losses.csv` become the folder's content, and
    /// `TrainingInterrupted` says so. When a figure cannot be written, the weights and losses
    /// are kept all the same and the error says which figure failed.
    /// - Throws: `TrainingDiverged` when the loss or a weight stops being finite (nothing is
    ///   written); `TrainingInterrupted`; `ConfigurationError`; file errors naming the file.
    @discardableResult
    public func run(reporter: ProgressReporter, shouldStop: () -> Bool = { Interruption.isRequested }) throws -> TrainingHistory {
        try configuration.validate()
        let divisor = 1 << model.kind.downsamplings
        guard size >= divisor, size % divisor == 0 else {
            throw ConfigurationError("\(model.kind.courseName) halves the image \(model.kind.downsamplings) times, so the size must "
                             + "be a multiple of \(divisor) (at least \(divisor)), but got \(size)")
        }
        try NetworkLimits.check(inChannels: model.nChannels, classes: model.nClasses, width: model.base, source: "train")
        let folder = try RunFolder(outputDirectory, belongsToRun: RunFolder.isTrainingOutput)
        for note in folder.notes { reporter.line(note) }
        do {
            return try run(reporter: reporter, shouldStop: shouldStop, folder: folder)
        } catch {
            folder.discard()
            throw error
        }
    }

    private func run(reporter: ProgressReporter, shouldStop: () -> Bool, folder: RunFolder) throws -> TrainingHistory {
        manualSeed(seed)
        let network = model.make(exercises: exercises)
        let generator = try CourseData.generator(size: size, seed: seed)
        reporter.line("\(model.kind.courseName): \(network.parameterCount.formattedWithCommas) parameters; "
                      + "\(configuration.epochs) epochs × \(configuration.stepsPerEpoch) steps × batch "
                      + "\(configuration.batchSize), \(size)×\(size), seed \(seed)")
        let start = Date()
        var metadata = model.metadata
        metadata["image_size"] = "\(size)"
        metadata["seed"] = "\(seed)"
        let history: TrainingHistory
        do {
            history = try trainNetwork(network, batches: { try generator($0) }, configuration: configuration,
                                       onEvent: reporter.handle, shouldStop: shouldStop)
        } catch let stopped as TrainingStopped {
            let done = stopped.history.losses.count
            guard done > 0 else {
                throw TrainingInterrupted("\(Interruption.signalName) before the first step ended: nothing was saved, "
                                          + "\(outputDirectory) is unchanged")
            }
            metadata["interrupted_after_step"] = "\(done)"
            try network.saveWeights(to: folder.url(weightsFile), metadata: metadata)
            try writeLosses(stopped.history.losses, to: folder.url(Self.lossesFile))
            try folder.commit()
            throw TrainingInterrupted("\(Interruption.signalName) at epoch \(stopped.epoch), step \(stopped.step): saved the weights "
                                      + "after \(done) of \(configuration.epochs * configuration.stepsPerEpoch) steps to "
                                      + "\(outputDirectory)/\(weightsFile) and \(Self.lossesFile) (no figures). A --data shapes run "
                                      + "has no --resume: run the same command again to train from the start")
        }
        let seconds = Date().timeIntervalSince(start)
        reporter.line(String(format: "trained in %.1f s (%.3f s per step)", seconds, seconds / Double(history.losses.count)))

        // The weights first: a figure that cannot be written loses no training.
        metadata["final_validation_dice"] = String(format: "%.4f", history.validationDice.last ?? 0)
        try network.saveWeights(to: folder.url(weightsFile), metadata: metadata)
        try writeLosses(history.losses, to: folder.url(Self.lossesFile))
        var figures: [String] = []
        do {
            try SegmentationFigures.lossCurveFigure([LossCurve(name: model.kind.courseName, losses: history.losses)],
                                                    title: "\(model.kind.courseName) training loss")
                .write(to: folder.url(Self.lossCurveFile).path)
            figures.append(Self.lossCurveFile)
            let (images, labels) = try generator(2)
            figures += try writePredictionFigures(network, images: images, labels: labels, into: URL(fileURLWithPath: folder.stagingPath),
                                                  prefix: "prediction")
        } catch {
            try folder.commit()
            throw FileWriteError("the training finished and \(outputDirectory)/\(weightsFile) and \(Self.lossesFile) are saved, "
                                 + "but a figure could not be written: \(error)")
        }
        try folder.commit()
        reporter.line("wrote \(outputDirectory)/{\(weightsFile), \(Self.lossesFile), \(figures.joined(separator: ", "))}")
        return history
    }
}

/// Writes `step,loss` lines (1-based steps), atomically.
public func writeLosses(_ losses: [Float], to url: URL) throws {
    let text = "step,loss\n" + losses.enumerated().map { "\($0 + 1),\($1)" }.joined(separator: "\n") + "\n"
    try writeFileAtomically(Array(text.utf8), to: url.path)
}

/// The course's 2×2 prediction figure for each image of a batch (`[N, H, W, 1]` images,
/// `[N, H, W, classes]` labels); returns the file names written (`<prefix>_<i>.png`).
@discardableResult
public func writePredictionFigures(_ model: Module, images: Tensor, labels: Tensor, into directory: URL,
                                   prefix: String) throws -> [String] {
    let probabilities = try predictProbabilities(model, images: try images.nhwcToNCHW())
    let (h, w) = (images.shape[1], images.shape[2])
    return try (0..<images.shape[0]).map { i in
        let probability = try channel(try sample(i, of: probabilities), 1).scalars
        let name = "\(prefix)_\(i).png"
        try SegmentationFigures.predictionFigure(input: try BatchSlices.channel(0, of: images, sample: i),
                                        groundTruth: try BatchSlices.channel(1, of: labels, sample: i),
                                        probability: probability, prediction: probability.map { $0 > 0.5 ? 1 : 0 },
                                        width: w, height: h)
            .write(to: directory.appendingPathComponent(name).path)
        return name
    }
}
