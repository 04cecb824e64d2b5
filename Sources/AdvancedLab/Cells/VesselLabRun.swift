import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments

/// A network trained by the advanced lab on the synthetic vessels: its per-epoch history, how
/// long an epoch took, and how its one output channel becomes a vessel probability.
public struct VesselLabRun {
    /// "UNet", "SA-UNet", … or the loss's name in cell 4.
    public var name: String
    public var network: Module
    /// `.logits` (a sigmoid gives the probability) or `.probabilities` (the network ends in one).
    public var output: NetworkOutput
    public var records: [EpochRecord]
    public var secondsPerEpoch: Double
    public var parameters: Int
    /// The epoch whose weights the network holds (the lowest validation loss).
    public var bestEpoch: Int
    public var stoppedEarly: Bool

    /// Vessel probabilities `[N, 1, H, W]` of images `[N, 1, H, W]`, in evaluation mode.
    public func probabilities(_ images: Tensor) throws -> Tensor {
        network.eval()
        defer { network.train() }
        return try withoutGradients {
            let y = try network(Variable(images))
            return output == .logits ? y.sigmoid().value : y.value
        }
    }

    /// Probabilities of many images, `batch` at a time.
    public func probabilities(_ images: Tensor, batch: Int) throws -> Tensor {
        let n = images.shape[0]
        var scalars: [Float] = []
        for start in stride(from: 0, to: n, by: batch) {
            scalars += try probabilities(try rows(images, start, min(n, start + batch))).scalars
        }
        return try Tensor(shape: [n, 1, images.shape[2], images.shape[3]], scalars: scalars)
    }
}

/// Samples start..<end of an `[N, …]` tensor.
func rows(_ x: Tensor, _ start: Int, _ end: Int) throws -> Tensor {
    let per = x.count / x.shape[0]
    return try Tensor(shape: [end - start] + x.shape.dropFirst(), scalars: Array(x.scalars[(start * per)..<(end * per)]))
}

/// The advanced lab's training loop (cells 4 and 7): Adam, StepLR once per epoch, early
/// stopping on the validation loss with the best weights kept — the seeds' recipe.
///
/// Per epoch: `stepsPerEpoch` steps on batches of random `patch`×`patch` windows (centre inside
/// the FOV) of the fixed training images, flipped and turned at random (image, mask and FOV
/// together); then the loss on the whole validation images and their accuracy, Dice and AUC
/// inside the FOV. Targets are the vessel map `[N, 1, H, W]`: every network has one output channel.
enum VesselLabTraining {
    /// Trains `network` with `loss(output, target)` for at most `epochs` epochs; prints one line
    /// per epoch into the cell. Throws `TrainingDiverged` when the loss is not finite.
    static func train(name: String, network: Module, output: NetworkOutput, epochs: Int,
                      loss: (Variable, Tensor) throws -> Variable, in c: AdvancedCell) throws -> VesselLabRun {
        let s = c.lab.settings
        let data = try c.lab.data.get()
        let optimizer = try Adam(network.parameters(), lr: s.learningRate)
        let scheduler = try StepLR(optimizer, stepSize: s.stepSize, gamma: s.gamma)
        let stopping = try EarlyStopping(mode: .min, patience: s.patience)
        let augmentation = try JointAugmentation(flipProbability: 0.5, quarterTurns: true)
        let patch = s.patch < s.size ? s.patch : nil
        let probability = { (y: Variable) -> Variable in output == .logits ? y.sigmoid() : y }
        var records: [EpochRecord] = []
        let start = DispatchTime.now().uptimeNanoseconds
        network.train()
        for epoch in 1...epochs {
            manualSeed(s.seed &+ UInt64(epoch))
            var rng = SeededGenerator(seed: s.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(epoch))
            let learningRate = optimizer.learningRate
            var lossSum: Float = 0, accuracySum = 0.0
            for step in 1...s.stepsPerEpoch {
                let (x, t, fov) = try data.trainingBatch(batchSize: s.batchSize, patch: patch, augmentation: augmentation,
                                                         classes: 1, using: &rng)
                let (value, probabilities) = try optimizationStep(optimizer) {
                    let y = try network(Variable(x))
                    return (try loss(y, t), probability(y).value)
                }
                guard value.isFinite else {
                    throw TrainingDiverged("\(name): the loss became \(value) at epoch \(epoch), step \(step)")
                }
                lossSum += value
                accuracySum += try ConfusionMatrix(probabilities: probabilities, labels: t, mask: fov).accuracy
            }
            let validation = try validate(network, probability: probability, loss: loss, data: data, batch: s.batchSize)
            let record = EpochRecord(epoch: epoch, learningRate: learningRate, trainingLoss: lossSum / Float(s.stepsPerEpoch),
                                     trainingAccuracy: Float(accuracySum / Double(s.stepsPerEpoch)),
                                     validationLoss: validation.loss, validationAccuracy: Float(validation.scores.accuracy),
                                     validationDice: Float(validation.scores.dice), validationAUC: Float(validation.scores.auc))
            records.append(record)
            c.print(String(format: "%@ epoch %2d  lr %.2g  train loss %.4f acc %.4f  val loss %.4f acc %.4f F1 %.4f AUC %.4f",
                           name, epoch, learningRate, record.trainingLoss, record.trainingAccuracy, record.validationLoss,
                           record.validationAccuracy, record.validationDice, record.validationAUC))
            stopping.update(record.validationLoss, model: network)
            scheduler.step()
            if stopping.shouldStop { break }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if stopping.bestWeights != nil { try stopping.restoreBestWeights(into: network) }
        let best = (stopping.bestCheck ?? records.count - 1) + 1
        let stoppedEarly = records.count < epochs
        if stoppedEarly {
            c.print("\(name): early stopping after epoch \(records.count) (no lower validation loss for \(s.patience) epochs)")
        }
        c.print("\(name): kept the weights of epoch \(best); \(String(format: "%.1f", seconds / Double(records.count))) s per epoch")
        return VesselLabRun(name: name, network: network, output: output, records: records,
                            secondsPerEpoch: seconds / Double(records.count), parameters: network.parameterCount,
                            bestEpoch: best, stoppedEarly: stoppedEarly)
    }

    /// The loss and the scores inside the FOV on the whole validation images, evaluation mode.
    static func validate(_ network: Module, probability: (Variable) -> Variable, loss: (Variable, Tensor) throws -> Variable,
                         data: VesselDataSet, batch: Int) throws -> (loss: Float, scores: SegmentationScores) {
        let images = try data.validation.images.nhwcToNCHW()
        let targets = try VesselDataSet.targets(data.validation.labels, classes: 1)
        let n = images.shape[0]
        network.eval()
        defer { network.train() }
        var lossSum: Float = 0, batches = 0
        var probabilities: [Float] = []
        for start in stride(from: 0, to: n, by: batch) {
            let x = try rows(images, start, min(n, start + batch)), t = try rows(targets, start, min(n, start + batch))
            try withoutGradients {
                let y = try network(Variable(x))
                lossSum += try loss(y, t).value.scalars[0]
                probabilities += probability(y).value.scalars
            }
            batches += 1
        }
        let scores = try SegmentationScores(probabilities: try Tensor(shape: targets.shape, scalars: probabilities),
                                            labels: targets, fov: try data.validation.fov.nhwcToNCHW())
        return (lossSum / Float(batches), scores)
    }

    /// The scores inside the FOV of `run` on the lab's test images (and their probabilities).
    static func testScores(_ run: VesselLabRun, in c: AdvancedCell, fov useFOV: Bool = true) throws
        -> (scores: SegmentationScores, probabilities: Tensor) {
        let test = try c.lab.test.get()
        let p = try run.probabilities(try test.images.nhwcToNCHW(), batch: c.lab.settings.batchSize)
        let labels = try VesselDataSet.targets(test.labels, classes: 1)
        return (try SegmentationScores(probabilities: p, labels: labels, fov: useFOV ? try test.fov.nhwcToNCHW() : nil), p)
    }
}
