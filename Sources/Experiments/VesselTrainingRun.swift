import Foundation
import UNetKit
import SyntheticData
import Figures
import LabExercises

/// A training run on synthetic retinal vessels (`unetlab train --data vessels`).
///
/// Per epoch: `stepsPerEpoch` steps on batches from the fixed training set (augmented, cut to
/// patches when asked), then the loss and accuracy, Dice and ROC AUC inside the FOV on the
/// held-out images (whole images, evaluation mode). After every epoch it writes, in this
/// order: `best.safetensors` when the validation loss improved, `checkpoint.safetensors`
/// (model, optimiser, schedule, early stopping, history), `history.csv`. At the end, the best
/// weights go back into the network and `best.safetensors` holds them; the figures
/// (`loss_curves.png`, `accuracy_curves.png`, `validation_prediction.png`) come last, so a
/// figure that fails loses no training. Everything is written into a staging folder that
/// replaces the output folder in one step at the end (`RunFolder`): the folder holds the
/// previous run or the complete new one, never a mixture.
///
/// Ctrl-C or SIGTERM (`Interruption`) ends the training after the current step: the run as it
/// was after the last completed epoch (its checkpoint, best weights, history and figures)
/// becomes the folder's content, and `TrainingInterrupted` says how to resume. A run killed
/// outright leaves its staging folder with the last epoch's checkpoint; the next run into the
/// same folder names it.
///
/// Epoch e draws its batches from a generator seeded by (seed, e), so resuming from the
/// checkpoint of epoch k repeats epochs k+1… exactly: the final weights are bit-identical to
/// those of a run that never stopped.
public struct VesselTrainingRun {
    public var options: VesselTrainingOptions
    public var outputDirectory: String
    public var exercises: ExerciseSet
    /// A checkpoint to resume from.
    public var resume: String?

    public static let bestWeightsFile = "best.safetensors"
    public static let checkpointFile = "checkpoint.safetensors"
    public static let historyFile = "history.csv"
    public static let lossFigureFile = "loss_curves.png"
    public static let accuracyFigureFile = "accuracy_curves.png"
    public static let predictionFigureFile = "validation_prediction.png"

    public init(options: VesselTrainingOptions, outputDirectory: String, exercises: ExerciseSet, resume: String? = nil) {
        self.options = options; self.outputDirectory = outputDirectory; self.exercises = exercises; self.resume = resume
    }

    /// The generator of epoch `epoch`'s batches.
    static func epochGenerator(seed: UInt64, epoch: Int) -> SeededGenerator {
        SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch))
    }

    @discardableResult
    public func run(log: (String) -> Void = { print($0) }, shouldStop: () -> Bool = { Interruption.isRequested }) throws
        -> (records: [EpochRecord], network: VesselNetwork) {
        try options.validate()
        let folder = try RunFolder(outputDirectory, belongsToRun: RunFolder.isTrainingOutput)
        for note in folder.notes { log(note) }
        do {
            return try run(log: log, shouldStop: shouldStop, folder: folder)
        } catch {
            folder.discard()
            throw error
        }
    }

    private func run(log: (String) -> Void, shouldStop: () -> Bool, folder: RunFolder) throws
        -> (records: [EpochRecord], network: VesselNetwork) {
        let o = options
        let entry = try NetworkCatalog.entry(named: o.network)
        let classes = try o.resolvedClasses()
        let directory = URL(fileURLWithPath: folder.stagingPath)
        manualSeed(o.seed)
        let model = VesselNetwork(entry: entry, inChannels: o.preprocessing.outputChannels(from: o.colour ? 3 : 1),
                                  classes: classes, width: o.width, activation: o.loss.activation(for: entry.output),
                                  preprocessing: o.preprocessing, exercises: exercises)
        let network = model.network
        if let p = o.dropBlockP {
            let dropBlocks = network.namedModules().compactMap { $0.1 as? DropBlock2d }
            guard !dropBlocks.isEmpty else {
                throw ConfigurationError("--drop-block: \(entry.displayName) has no DropBlock layers (sa-unet and dacrse-unet have)")
            }
            for layer in dropBlocks { layer.p = p }
        }
        let data = try VesselDataSet(options: o)
        let optimizer = try o.optimizer.make(network.parameters(), learningRate: o.learningRate)
        let scheduler = try o.schedule.make(optimizer, epochs: o.epochs, stepSize: o.stepSize, gamma: o.gamma)
        let stopping = try EarlyStopping(mode: .min, patience: o.earlyStoppingPatience ?? Int.max)
        let augmentation = o.augment ? try JointAugmentation(flipProbability: 0.5, quarterTurns: true) : nil

        var records: [EpochRecord] = []
        if let resume {
            let meta = try TrainingCheckpoint.load(from: URL(fileURLWithPath: resume), model: network, optimizer: optimizer,
                                                   scheduler: scheduler, earlyStopping: stopping)
            guard meta["run.key"] == o.resumeKey else {
                throw ConfigurationError("\(resume) was written with other settings: expected \(meta["run.key"] ?? "(none)"), "
                                         + "but this run has \(o.resumeKey) (all options but --epochs and --early-stopping must match)")
            }
            records = try EpochHistory.parse(meta["run.history"] ?? "")
            log("resumed from \(resume) after epoch \(records.count)")
        }
        log("\(entry.displayName) (width \(o.width), \(network.parameterCount.formattedWithCommas) parameters) on synthetic "
            + "vessels \(o.size)×\(o.size)\(o.patch.map { ", patches \($0)×\($0)" } ?? ""); loss \(o.loss.rawValue), "
            + "\(o.optimizer.rawValue) lr \(o.learningRate), schedule \(o.schedule.rawValue)")

        var epoch = records.count + 1
        let firstEpoch = epoch
        var interruptedAt: (epoch: Int, step: Int)?
        training: while epoch <= o.epochs && !stopping.shouldStop {
            manualSeed(o.seed &+ UInt64(epoch))
            var rng = Self.epochGenerator(seed: o.seed, epoch: epoch)
            let learningRate = optimizer.learningRate
            network.train()
            var lossSum: Float = 0, accuracySum = 0.0
            for step in 1...o.stepsPerEpoch {
                if shouldStop() {
                    interruptedAt = (epoch, step)
                    break training
                }
                let (x, t, fov) = try data.trainingBatch(batchSize: o.batchSize, patch: o.patch, augmentation: augmentation,
                                                         classes: classes, using: &rng)
                let (value, output) = try optimizationStep(optimizer) {
                    let output = try network(Variable(x))
                    return (try o.loss.loss(output, t, networkOutput: entry.output), output.value)
                }
                guard value.isFinite else {
                    throw TrainingDiverged("the loss became \(value) at epoch \(epoch), step \(step): training diverged "
                                           + "(try a smaller --lr)")
                }
                lossSum += value
                let probability = try model.activation.foreground(output)
                accuracySum += try ConfusionMatrix(probabilities: probability, labels: try VesselDataSet.vesselChannel(
                    classes == 2 ? t : try Self.oneHot(t)), mask: fov).accuracy
            }
            let validation = try Self.validate(model, data: data, loss: o.loss, classes: classes, batchSize: o.batchSize)
            let record = EpochRecord(epoch: epoch, learningRate: learningRate, trainingLoss: lossSum / Float(o.stepsPerEpoch),
                                     trainingAccuracy: Float(accuracySum / Double(o.stepsPerEpoch)),
                                     validationLoss: validation.loss, validationAccuracy: Float(validation.scores.accuracy),
                                     validationDice: Float(validation.scores.dice), validationAUC: Float(validation.scores.auc))
            records.append(record)
            log(String(format: "epoch %d/%d  lr %.3g  train loss %.4f acc %.4f  val loss %.4f acc %.4f dice %.4f auc %.4f",
                       epoch, o.epochs, learningRate, record.trainingLoss, record.trainingAccuracy, record.validationLoss,
                       record.validationAccuracy, record.validationDice, record.validationAUC))
            let improved = stopping.isImprovement(record.validationLoss)
            stopping.update(record.validationLoss, model: network)
            scheduler?.step()
            if improved {
                try network.saveWeights(to: directory.appendingPathComponent(Self.bestWeightsFile),
                                        metadata: weightsMetadata(model, records: records, bestEpoch: epoch))
            }
            try TrainingCheckpoint.save(to: directory.appendingPathComponent(Self.checkpointFile), model: network,
                                        optimizer: optimizer, scheduler: scheduler, earlyStopping: stopping,
                                        metadata: ["run.key": o.resumeKey, "run.history": EpochHistory.csv(records)])
            try writeFileAtomically(Array(EpochHistory.csv(records).utf8), to: directory.appendingPathComponent(Self.historyFile).path)
            epoch += 1
        }
        if let interruptedAt, epoch == firstEpoch {
            throw TrainingInterrupted("\(Interruption.signalName) during epoch \(interruptedAt.epoch), step \(interruptedAt.step), "
                                      + "before an epoch was complete: nothing was saved, \(outputDirectory) is unchanged")
        }
        if stopping.shouldStop && records.count < o.epochs {
            log("early stopping after epoch \(records.count): no lower validation loss for \(o.earlyStoppingPatience ?? 0) epochs")
        }
        if epoch == firstEpoch {
            // Resumed with nothing left to train: the staging folder gets the state as loaded.
            try TrainingCheckpoint.save(to: directory.appendingPathComponent(Self.checkpointFile), model: network,
                                        optimizer: optimizer, scheduler: scheduler, earlyStopping: stopping,
                                        metadata: ["run.key": o.resumeKey, "run.history": EpochHistory.csv(records)])
            try writeFileAtomically(Array(EpochHistory.csv(records).utf8), to: directory.appendingPathComponent(Self.historyFile).path)
        }
        if stopping.bestWeights != nil { try stopping.restoreBestWeights(into: network) }
        let bestEpoch = stopping.bestCheck.map { $0 + 1 } ?? records.count
        // After an interruption without kept best weights the network is mid-epoch: best.safetensors stays as written.
        if interruptedAt == nil || stopping.bestWeights != nil {
            try network.saveWeights(to: directory.appendingPathComponent(Self.bestWeightsFile),
                                    metadata: weightsMetadata(model, records: records, bestEpoch: bestEpoch))
        }
        log("best weights (epoch \(bestEpoch)) in \(outputDirectory)/\(Self.bestWeightsFile)")

        do {
            try EpochHistory.lossFigure(records, title: entry.displayName).write(to: directory.appendingPathComponent(Self.lossFigureFile).path)
            try EpochHistory.accuracyFigure(records, title: entry.displayName)
                .write(to: directory.appendingPathComponent(Self.accuracyFigureFile).path)
            let first = try sample(0, of: try data.validation.images.nhwcToNCHW())
            let probability = try model.foreground(try first.reshaped([1] + first.shape)).scalars
            try SegmentationFigures.predictionFigure(
                input: Array(first.scalars.prefix(o.size * o.size)),
                groundTruth: try BatchSlices.channel(1, of: data.validation.labels, sample: 0),
                probability: probability, prediction: probability.map { $0 >= 0.5 ? 1 : 0 }, width: o.size, height: o.size)
                .write(to: directory.appendingPathComponent(Self.predictionFigureFile).path)
        } catch {
            try folder.commit()
            throw FileWriteError("the training finished and \(outputDirectory)/{\(Self.bestWeightsFile), \(Self.checkpointFile), "
                                 + "\(Self.historyFile)} are saved, but a figure could not be written: \(error)")
        }
        try folder.commit()
        if let interruptedAt {
            throw TrainingInterrupted("\(Interruption.signalName) during epoch \(interruptedAt.epoch), step \(interruptedAt.step): "
                                      + "saved the run after epoch \(records.count) in \(outputDirectory) (checkpoint.safetensors, "
                                      + "best.safetensors, history.csv, figures). Resume with the same options and "
                                      + "--resume \(outputDirectory)/\(Self.checkpointFile)")
        }
        log("wrote \(outputDirectory)/{\(Self.historyFile), \(Self.checkpointFile), \(Self.lossFigureFile), "
            + "\(Self.accuracyFigureFile), \(Self.predictionFigureFile)}")
        return (records, model)
    }

    /// 1-channel vessel targets → one-hot `[N, 2, H, W]`.
    static func oneHot(_ t: Tensor) throws -> Tensor {
        let (n, h, w) = (t.shape[0], t.shape[2], t.shape[3])
        var out = [Float](repeating: 0, count: n * 2 * h * w)
        for i in 0..<n {
            for p in 0..<(h * w) {
                out[(i * 2) * h * w + p] = 1 - t.scalars[i * h * w + p]
                out[(i * 2 + 1) * h * w + p] = t.scalars[i * h * w + p]
            }
        }
        return try Tensor(shape: [n, 2, h, w], scalars: out)
    }

    /// The loss (mean over batches of `batchSize`) and the scores inside the FOV on the held-out images.
    static func validate(_ model: VesselNetwork, data: VesselDataSet, loss: LossChoice, classes: Int, batchSize: Int) throws
        -> (loss: Float, scores: SegmentationScores) {
        let images = try data.validation.images.nhwcToNCHW()
        let targets = try VesselDataSet.targets(data.validation.labels, classes: classes)
        let n = images.shape[0]
        let network = model.network
        network.eval()
        defer { network.train() }
        var lossSum: Float = 0, batches = 0
        var probabilities: [Float] = []
        for start in stride(from: 0, to: n, by: batchSize) {
            let x = try rows(images, start, min(n, start + batchSize))
            let t = try rows(targets, start, min(n, start + batchSize))
            let output = try withoutGradients { try network(Variable(x)) }
            lossSum += try withoutGradients { try loss.loss(output, t, networkOutput: model.entry.output) }.value.scalars[0]
            batches += 1
            probabilities += try model.activation.foreground(output.value).scalars
        }
        let shape = [n, 1, images.shape[2], images.shape[3]]
        let scores = try SegmentationScores(probabilities: try Tensor(shape: shape, scalars: probabilities),
                                            labels: try VesselDataSet.vesselChannel(try data.validation.labels.nhwcToNCHW()),
                                            fov: try data.validation.fov.nhwcToNCHW())
        return (lossSum / Float(batches), scores)
    }

    /// Samples start..<end of an `[N, …]` tensor.
    static func rows(_ x: Tensor, _ start: Int, _ end: Int) throws -> Tensor {
        let per = x.count / x.shape[0]
        return try Tensor(shape: [end - start] + x.shape.dropFirst(), scalars: Array(x.scalars[(start * per)..<(end * per)]))
    }

    func weightsMetadata(_ model: VesselNetwork, records: [EpochRecord], bestEpoch: Int) -> [String: String] {
        var m = model.metadata
        let o = options
        m["data"] = "vessels"
        m["image_size"] = "\(o.size)"
        m["patch"] = o.patch.map(String.init) ?? ""
        m["colour"] = "\(o.colour)"
        m["seed"] = "\(o.seed)"
        m["loss"] = o.loss.rawValue
        if let p = o.dropBlockP { m["drop_block_p"] = "\(p)" }
        m["epochs_trained"] = "\(records.count)"
        m["best_epoch"] = "\(bestEpoch)"
        if let r = records.first(where: { $0.epoch == bestEpoch }) {
            m["validation_loss"] = "\(r.validationLoss)"
            m["validation_dice"] = "\(r.validationDice)"
            m["validation_auc"] = "\(r.validationAUC)"
        }
        return m
    }
}
