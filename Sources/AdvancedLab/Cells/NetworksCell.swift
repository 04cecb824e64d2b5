import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments

/// Cell 7 (all seeds): UNet, SA-UNet, the Keras U-Net and DACRSE-UNet trained on the same
/// data with Adam, StepLR and early stopping; parameters, time per epoch, the seeds' curves and
/// metrics table beside the papers' numbers.
enum NetworksCell {
    /// One of the four networks: how to build it, what its output is, what the paper or seed reports.
    struct Spec: Sendable {
        var name: String
        var output: NetworkOutput
        var make: @Sendable (AdvancedSettings) -> Module
        /// The reported numbers in the table's columns (accuracy, sensitivity, specificity, F1,
        /// balanced accuracy, AUC), "—" where not reported.
        var reported: [String]?
        /// The table's row label for the reported numbers, and where they come from.
        var label: String
        var source: String
    }

    static let specs: [Spec] = [
        Spec(name: "UNet", output: .logits, make: { UNet(nChannels: 1, nClasses: 1, base: $0.width) },
             reported: ["—", "—", "—", "0.8304", "0.9009", "—"], label: "  seed 002 (OCTA)", source: "seed 002 (its UNet, OCTA, Dice and BAC)"),
        Spec(name: "SA-UNet", output: .logits, make: { SAUNet(inChannels: 1, width: $0.width) },
             reported: ["0.9698", "—", "—", "0.8263", "—", "0.9864"], label: "  paper (DRIVE)", source: "SA-UNet paper, DRIVE"),
        Spec(name: "Keras U-Net", output: .probabilities, make: { KerasUNet(inChannels: 1, classes: 1, base: $0.width) },
             reported: ["0.9234", "—", "—", "—", "—", "—"], label: "  seed 001 (train acc.)", source: "seed 001 (training accuracy after 4 epochs)"),
        // Binary vessel labels: a 1-output head (seed 003 prints Last = Conv 1×1 → 3 channels + sigmoid);
        // the same convention as `unetlab train --model dacrse-unet`.
        Spec(name: "DACRSE-UNet", output: .probabilities,
             make: { DACRseUNet(inChannels: 1, base: $0.width, dropBlockP: $0.dacrseDropBlockP, outChannels: 1) },
             reported: nil, label: "  seed 003", source: "seed 003 prints no scores"),
    ]

    static func run(_ c: AdvancedCell) throws {
        let s = c.lab.settings
        c.say("The four networks of the seeds, trained on the same \(s.trainingImages) synthetic images with the "
              + "seeds' recipe: Adam (lr \(s.learningRate)), StepLR ×\(s.gamma) every \(s.stepSize) epochs, "
              + "early stopping after \(s.patience) epochs without a lower validation loss (the best weights are "
              + "kept), binary cross-entropy, \(s.patch)×\(s.patch) patches with flips and turns, at most "
              + "\(s.epochs) epochs × \(s.stepsPerEpoch) steps × batch \(s.batchSize).")
        c.say("To fit two CPU cores, every network starts at width \(s.width) (the papers: UNet 64, SA-UNet 16, "
              + "the Keras U-Net 64, DACRSE-UNet 64) on \(s.size)×\(s.size) images. SA-UNet keeps its DropBlock "
              + "(bs 7, keep 0.82). DACRSE-UNet is seed 003's code as printed — no skip connections, the doubled "
              + "SE product — with two changes: `Last` has **one** sigmoid output (the vessel probability) "
              + "instead of three, since the labels are binary, and its DropBlock drops p = \(s.dacrseDropBlockP) "
              + "instead of 0.5 (with p = 0.5 after every convolution and no skips, a narrow network learns "
              + "little in this schedule). `unetlab train --data vessels --model dacrse-unet` uses the same "
              + "1-output head, with the seed's p = 0.5.")
        var summary: [[String]] = []
        for spec in specs {
            c.attempt("training \(spec.name)") {
                manualSeed(s.seed)
                let network = spec.make(s)
                c.print("\(spec.name): \(network.parameterCount.formattedWithCommas) parameters")
                let output = spec.output
                let run = try VesselLabTraining.train(name: spec.name, network: network, output: output, epochs: s.epochs,
                                                      loss: { try LossChoice.bce.loss($0, $1, networkOutput: output) }, in: c)
                c.lab.networks.append(run)
                summary.append([spec.name, run.parameters.formattedWithCommas, String(format: "%.1f", run.secondsPerEpoch),
                                "\(run.records.count)", "\(run.bestEpoch)"])
            }
        }
        let runs = try c.lab.trainedNetworks()
        c.table(["network", "parameters", "s / epoch", "epochs", "best epoch"], summary, widths: [12, 11, 10, 7, 11])
        try c.figure("cell7_loss_curves.png", caption: "Training (light) and validation loss per epoch") { path in
            try curves(runs, title: "Loss (BCE)", y: "loss", train: \.trainingLoss, validation: \.validationLoss).write(to: path)
        }
        try c.figure("cell7_accuracy_curves.png", caption: "Training and validation accuracy inside the FOV per epoch") { path in
            try curves(runs, title: "Accuracy inside the FOV", y: "accuracy", train: \.trainingAccuracy,
                       validation: \.validationAccuracy).write(to: path)
        }
        let test = try c.lab.test.get()
        let images = try test.images.nhwcToNCHW()
        var panels: [LabFigures.Panel] = [.init(title: "test image", values: plane(images, sample: 0)),
                                          .init(title: "ground truth", values: try BatchSlices.channel(1, of: test.labels, sample: 0),
                                                range: 0...1)]
        for run in runs {
            panels.append(.init(title: run.name, values: plane(try run.probabilities(try rows(images, 0, 1)), sample: 0),
                                colorMap: .hot, range: 0...1))
        }
        try c.figure("cell7_predictions.png", caption: "Vessel probabilities of the four networks on a held-out test image") { path in
            try LabFigures.grid(panels, columns: 3, side: s.size).write(to: path)
        }
        c.say("The seeds' metrics table on the \(s.testImages) held-out test images, inside the FOV, threshold 0.5; "
              + "below each network, what its paper or seed reports (on DRIVE or OCTA, not on these images):")
        var reported: [String: [String]] = [:]
        for spec in specs { reported[spec.name] = [spec.label] + (spec.reported ?? Array(repeating: "—", count: 6)) }
        try LossesCell.scoresTable(runs, in: c, papers: reported)
        c.print("reported: " + specs.map { "\($0.name) — \($0.source)" }.joined(separator: "; "))
        c.say("The numbers are not comparable. The synthetic vessels are cleaner than DRIVE's — no lesions, no "
              + "central reflex, no optic-disc rim, labels drawn by the generator instead of an annotator — but "
              + "smaller (\(s.size) px against 565) and the networks narrower; the test set is a handful of "
              + "images from the same generator as the training set, so there is no domain gap at all. Seed 001 "
              + "reports training accuracy, seed 002 OCTA Dice, and none of them uses this data.")
        c.say("Look at DACRSE-UNet's map in the prediction figure: its decoder rebuilds the image from the 1/8-size DAC "
              + "output alone — the printed code has no skip connections — so thin vessels come out blurred and "
              + "thick, whatever the schedule. The other three pass every level's features across.")
        try attentionFigure(runs, images: images, in: c)
        c.question(8)
    }

    /// Per-epoch curves of every run: training light, validation solid, one colour per network.
    static func curves(_ runs: [VesselLabRun], title: String, y: String, train: KeyPath<EpochRecord, Float>,
                       validation: KeyPath<EpochRecord, Float>) throws -> LinePlot {
        try LinePlot(title: title, xLabel: "epoch", yLabel: y, series: try runs.enumerated().flatMap { i, r in
            let x = r.records.map { Float($0.epoch) }
            let colour = RGBColor.tab10[i]
            let light = RGBColor(red: 0.6 * colour.red + 0.4, green: 0.6 * colour.green + 0.4, blue: 0.6 * colour.blue + 0.4)
            return [try LineSeries(name: "\(r.name) training", values: r.records.map { $0[keyPath: train] }, xValues: x, color: light),
                    try LineSeries(name: "\(r.name) validation", values: r.records.map { $0[keyPath: validation] }, xValues: x,
                                   color: colour)]
        }, showsLegend: true)
    }

    /// The trained SA-UNet's attention map in its bottleneck (1/8 of the image) beside the image.
    static func attentionFigure(_ runs: [VesselLabRun], images: Tensor, in c: AdvancedCell) throws {
        guard let run = runs.first(where: { $0.name == "SA-UNet" }), let sa = run.network as? SAUNet else { return }
        sa.eval()
        defer { sa.train() }
        let x = Variable(try rows(images, 0, 1))
        let map = try withoutGradients {
            let e3 = try sa.enc3(sa.pool(sa.enc2(sa.pool(sa.enc1(x)))))
            return try sa.attention.attentionMap(try sa.bottleneck1(sa.pool(e3))).value
        }
        let side = map.shape[2]
        c.print(String(format: "trained SA-UNet: attention map %@, values %.3f … %.3f", pythonShape(map.shape),
                       map.scalars.min() ?? .nan, map.scalars.max() ?? .nan))
        try c.figure("cell7_sa_unet_attention.png", caption: "The trained SA-UNet's spatial-attention map in its "
                     + "bottleneck (\(side)×\(side), 1/8 of the image)") { path in
            let full = c.lab.settings.size
            let upsampled = (0..<(full * full)).map { map.scalars[(($0 / full) * side / full) * side + ($0 % full) * side / full] }
            try LabFigures.grid([.init(title: "test image", values: plane(images, sample: 0)),
                                 .init(title: "attention map (1/8, enlarged)", values: upsampled, colorMap: .hot)],
                                columns: 2, side: full).write(to: path)
        }
    }
}
