import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// Training one of the course's networks inside a cell (cells 3, 7 and 8): the course's loop
/// and log lines, a progress bar on a terminal, the schedule and the time it took.
enum LabTraining {
    /// Builds `kind` (UNet_shallow and UNet_add from the exercises), checks it runs on one image —
    /// a stub throws `ExerciseNotImplemented` here, before anything is printed — then trains it
    /// with the lab's schedule on its own seeded data stream, and keeps it in `c.lab.trained`.
    @discardableResult
    static func train(_ kind: ModelKind, in c: CourseCell) throws -> TrainedNetwork {
        let s = c.lab.settings
        manualSeed(s.seed)
        let network = kind.make(nChannels: 1, nClasses: 2, base: s.base, exercises: c.lab.exercises)
        _ = try predictProbabilities(network, images: Tensor(zeros: [1, 1, s.size, s.size]))
        network.train()
        let parameters = network.parameterCount
        c.print("\(variableName(kind)) = \(kind.courseName)(n_channels=1, n_classes=2)    # "
                + "\(parameters.formattedWithCommas) parameters")
        c.print("criterion = BCELoss()")
        c.print(String(format: "optimizer = SGD(lr=%g, momentum=%g, weight_decay=%g)", s.training.learningRate,
                       s.training.momentum, s.training.weightDecay))
        c.print("schedule (\(s.name)): \(s.scheduleDescription)")
        c.print("a log line every \(s.training.logEvery) steps; eval_net on \(s.training.validationImages) fresh images "
                + "after each epoch")
        let generator = try c.lab.generator(offset: 1)
        let reporter = ProgressReporter(configuration: s.training, isTerminal: c.console.isTerminal)
        let show = { (text: String) in
            c.record(text)
            if c.console.isTerminal { reporter.line(text) } else { c.console.line(text) }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let history = try trainNetwork(network, batches: { try generator($0) }, configuration: s.training) { event in
            switch event {
            case .step: reporter.handle(event)
            case let .log(epoch, step, loss):
                show(String(format: "epoch %d iteration %d loss is %.4f", epoch, step, loss))
            case let .validation(_, dice, diceWithBackground):
                show(String(format: "validation dice coeff: %.4f   (foreground; %.4f counting the background "
                            + "as the course's eval_net does)", dice, diceWithBackground))
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        show(String(format: "trained in %@ (%.2f s per step) — %@ schedule", formatDuration(seconds),
                    seconds / Double(max(1, history.losses.count)), s.name))
        let file = "cell\(c.number)_\(kind.rawValue)_losses.csv"
        try writeLosses(history.losses, to: c.outputDirectory.appendingPathComponent(file))
        show("every step's loss: \(file)")
        let run = TrainedNetwork(kind: kind, network: network, history: history, seconds: seconds, parameters: parameters)
        c.lab.trained[kind] = run
        return run
    }

    /// The 2×2 prediction figure of a trained network on the lab's held-out test image
    /// (the same image for every network).
    static func predictionFigure(_ run: TrainedNetwork, file: String, in c: CourseCell) throws {
        let (images, labels) = try c.lab.testImages()
        let dice = try diceScore(run.network, images: images, labels: labels)[0]
        try c.figure(file, caption: String(format: "%@ on a held-out image: input, ground truth, probability, "
                                           + "prediction (Dice %.4f)", run.kind.courseName, dice)) { path in
            try predictionFigure(run.network, images: images, labels: labels, sample: 0).write(to: path)
        }
    }

    /// The course's 2×2 figure for image `sample` of a batch (`[N, H, W, 1]`, labels `[N, H, W, 2]`).
    static func predictionFigure(_ network: Module, images: Tensor, labels: Tensor, sample index: Int) throws -> PanelFigure {
        let probabilities = try predictProbabilities(network, images: try images.nhwcToNCHW())
        let probability = try channel(try sample(index, of: probabilities), 1).scalars
        return try SegmentationFigures.predictionFigure(input: try BatchSlices.channel(0, of: images, sample: index),
                                               groundTruth: try BatchSlices.channel(1, of: labels, sample: index),
                                               probability: probability, prediction: probability.map { $0 > 0.5 ? 1 : 0 },
                                               width: images.shape[2], height: images.shape[1])
    }

    /// The course's variable names: `unet`, `unet_shallow`, `unet_add`.
    static func variableName(_ kind: ModelKind) -> String {
        switch kind {
        case .unet: "unet"
        case .shallow: "unet_shallow"
        case .add: "unet_add"
        }
    }
}
