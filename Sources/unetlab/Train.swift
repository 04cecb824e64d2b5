import ArgumentParser
import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab

extension ModelKind: ExpressibleByArgument {}

/// `unetlab train`: the course's training run on shapes (loss curve, prediction figures, the
/// per-step losses, the weights), or with `--data vessels` a `VesselTrainingRun`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train UNet, UNet_shallow or UNet_add on the synthetic shapes, as the course does.",
        discussion: """
            Sigmoid on the logits, binary cross-entropy, SGD (lr 0.001, momentum 0.9, weight decay 0.0005).
            Example (the course's schedule at batch 4):
              unetlab train --model unet --epochs 5 --steps 50 --batch 4 --size 128 --seed 1 --out runs/unet
            Synthetic vessels (per-epoch curves, history.csv, best.safetensors, checkpoint.safetensors):
              unetlab train --data vessels --model unet --base 8 --size 96 --patch 48 --loss bce+dice \
                --optimizer adam --schedule cosine --epochs 20 --early-stopping 5 --out runs/vessels
            """)

    @Option(help: "Data: shapes (the course's) or vessels (synthetic retinal vessels).") var data: DataChoice = .shapes

    @Option(help: "Network: unet, shallow (UNet_shallow) or add (UNet_add); with --data vessels any of NetworkCatalog.")
    var model = "unet"
    @Option(help: "Epochs.") var epochs = 5
    @Option(help: "Steps (batches) per epoch.") var steps = 50
    @Option(help: "Images per batch.") var batch = 4
    @Option(help: "Image height and width in pixels (a multiple of 16; 4 for shallow).") var size = 128
    @Option(help: "Seed for the data and the initial weights.") var seed: UInt64 = 1
    @Option(help: "Width of the first level (the course's: 64).") var base = 64
    @Option(help: "Learning rate.") var lr: Float = 0.001
    @Option(help: "Folder for the outputs (created if missing).") var out: String

    @OptionGroup(title: "Vessel options (--data vessels)") var vessel: VesselTrainArguments
    @OptionGroup var exerciseChoice: ExerciseChoice

    func validate() throws {
        try requireOutputFolder(out)
        guard lr.isFinite, lr > 0, lr <= 10 else { throw ValidationError("--lr must be a number in (0, 10], but got \(lr)") }
        if data == .vessels {
            do { try vesselOptions().validate() } catch let error as ConfigurationError { throw ValidationError(error.message) }
            return
        }
        guard let kind = ModelKind(rawValue: model) else {
            throw ValidationError("--model must be one of unet, shallow, add for --data shapes, but got '\(model)'")
        }
        try requireOption("epochs", epochs, in: 1...100_000)
        try requireOption("steps", steps, in: 1...1_000_000)
        try requireOption("batch", batch, in: 1...1024)
        try requireOption("base", base, in: NetworkLimits.widths)
        let divisor = 1 << kind.downsamplings
        guard generatedImageSides.contains(size), size % divisor == 0 else {
            throw ValidationError("--size must be a multiple of \(divisor) in \(generatedImageSides.lowerBound)…"
                                  + "\(generatedImageSides.upperBound) (\(kind.courseName) halves the image \(kind.downsamplings) "
                                  + "times), but got \(size)")
        }
        guard vessel.resume == nil else { throw ValidationError("--resume is for --data vessels runs") }
        guard vessel.dropBlock == nil else { throw ValidationError("--drop-block is for --data vessels runs") }
    }

    func vesselOptions() -> VesselTrainingOptions {
        var o = VesselTrainingOptions()
        o.network = model; o.width = base; o.classes = vessel.classes; o.epochs = epochs; o.stepsPerEpoch = steps
        o.batchSize = batch; o.size = size; o.patch = vessel.patch; o.trainingImages = vessel.trainImages
        o.validationImages = vessel.valImages; o.colour = vessel.colour; o.preprocessing = vessel.preprocess
        o.augment = !vessel.noAugment; o.loss = vessel.loss; o.optimizer = vessel.optimizer; o.learningRate = lr
        o.schedule = vessel.schedule; o.stepSize = vessel.stepSize; o.gamma = vessel.gamma
        o.earlyStoppingPatience = vessel.earlyStopping; o.dropBlockP = vessel.dropBlock; o.seed = seed
        return o
    }

    func run() throws {
        Interruption.install()
        do {
            try train()
        } catch let interrupted as TrainingInterrupted {
            fflush(nil)
            FileHandle.standardError.write(Data("\n\(interrupted.message)\n".utf8))
            throw ExitCode(Interruption.exitStatus)
        }
    }

    private func train() throws {
        if data == .vessels {
            try createOutputDirectory(out)
            try VesselTrainingRun(options: vesselOptions(), outputDirectory: out, exercises: try exerciseChoice.exercises(),
                                  resume: vessel.resume).run(log: { print($0); fflush(nil) })
            return
        }
        guard let model = ModelKind(rawValue: model) else { throw ValidationError("unknown --model \(model)") }
        var configuration = TrainingConfiguration(epochs: epochs, stepsPerEpoch: steps, batchSize: batch)
        configuration.learningRate = lr
        try configuration.validate()
        try createOutputDirectory(out)
        let run = TrainingRun(model: ModelDescription(kind: model, base: base), configuration: configuration,
                              size: size, seed: seed, outputDirectory: out,
                              exercises: try exerciseChoice.exercises())
        try run.run(reporter: ProgressReporter(configuration: configuration))
    }
}
