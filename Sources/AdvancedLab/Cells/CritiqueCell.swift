import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Notebook
import Experiments

/// Cell 10: the seeds' quirks the lab reproduced, each shown by a number the lab computes.
enum CritiqueCell {
    static func run(_ c: AdvancedCell) throws {
        c.say("Student reports are read critically, like papers. The lab reproduced the seeds' code as printed; "
              + "here is what each quirk does, in numbers.")

        c.say("**Seed 003, the doubled SE product.** `Rse` computes `SE_ = se(input)` — already input × gates — "
              + "and then `SE_out = SE_ * input`: the residual branch is input² · e instead of input · e.")
        c.attempt("measuring the doubled SE product in the trained DACRSE-UNet") {
            let run = try c.lab.network("DACRSE-UNet")
            guard let net = run.network as? DACRseUNet else { return }
            let image = try rows(try c.lab.test.get().images.nhwcToNCHW(), 0, 1)
            net.eval()
            defer { net.train() }
            let (intended, printed, input) = try withoutGradients { () -> (Tensor, Tensor, Tensor) in
                let x = try net.pool(try net.rse1(Variable(image)))
                let features = try net.rse2.start(x)
                let se = try net.rse2.se(features)
                return (se.value, try (se * features).value, features.value)
            }
            let ratio = norm(printed) / max(1e-12, norm(intended))
            let meanAbs = input.scalars.reduce(0) { $0 + Double(abs($1)) } / Double(input.count)
            c.print(String(format: "rse2 on a test image: ‖SE_ · input‖ / ‖SE_‖ = %.3f (mean |input| %.3f): the printed "
                           + "branch is %.2f× the intended one, and its size now depends on the features' scale",
                           ratio, meanAbs, ratio))
            let gates = try withoutGradients { try net.rse1.se.channelWeights(try net.rse1.start(Variable(image))) }.value.scalars
            c.print(String(format: "rse1's SE has %d // 16 = 0 hidden units: its gates are all %.3f", net.inChannels,
                           gates.first ?? .nan))
        }

        c.say("**Seed 003, the branch without dilation.** Branch three of `DAC_Block` puts `dilation=3` on a 1×1 "
              + "convolution, which has a single tap: the dilation does nothing.")
        let fields = try AttentionCell.receptiveFields()
        let one = Conv2d(4, 4, kernelSize: 1), dilated = Conv2d(4, 4, kernelSize: 1, dilation: 3)
        try dilated.loadStateDict(Dictionary(uniqueKeysWithValues: one.namedParameters().map { ($0.0, $0.1.value) }))
        var r = SeededGenerator(seed: 10)
        let x = Variable(try Tensor(shape: [1, 4, 9, 9], scalars: (0..<324).map { _ in Float(r.nextUnit()) }))
        let difference = try withoutGradients { zip(try one(x).value.scalars, try dilated(x).value.scalars).map { abs($0 - $1) }.max() ?? 0 }
        c.print(String(format: "1×1 convolution with dilation 3 vs dilation 1, same weights: largest difference %.1g; "
                       + "branch three's receptive field %d×%d (a 3×3 with dilation 3 there would give %d×%d)",
                       difference, fields[2], fields[2], fields[2] + 6, fields[2] + 6))

        c.say("**Seed 003's \"sensitivity\".** It prints sensitivity as TP/(TP + FP) — that is precision. "
              + "Sensitivity (recall) is TP/(TP + FN). On each trained network's test pixels:")
        c.attempt("comparing sensitivity and precision") {
            var rows: [[String]] = []
            for run in try c.lab.trainedNetworks() {
                let m = try VesselLabTraining.testScores(run, in: c).scores.confusion
                rows.append([run.name, "\(m.truePositives)", "\(m.falsePositives)", "\(m.falseNegatives)", f4(m.sensitivity),
                             f4(m.precision)])
            }
            c.table(["network", "TP", "FP", "FN", "TP/(TP+FN)", "seed 003: TP/(TP+FP)"], rows, widths: [12, 7, 7, 7, 11, 21])
        }

        c.say("**Seed 001's `*gamma`.** `(1 - y_pred) * gamma` instead of `pow(1 - y_pred, gamma)`: the factor that "
              + "should silence easy pixels grows instead.")
        var focal: [[String]] = []
        for p in [0.6, 0.9, 0.99] {
            let logit = Float(log(p / (1 - p)))
            let t = try Tensor(shape: [1], scalars: [1]), xv = try Tensor(shape: [1], scalars: [logit])
            let reference = try sigmoidFocalLoss(Variable(xv), t).value.scalars[0]
            let buggy = try seedFocalLossWithMultiplyBug(logits: xv, target: t).scalars[0]
            focal.append([String(format: "%.2f", p), String(format: "%.4g", pow(1 - p, 2)), String(format: "%.4g", (1 - p) * 2),
                          String(format: "%.4g", reference), String(format: "%.4g", buggy), String(format: "%.0f×", buggy / reference)])
        }
        c.table(["p (target 1)", "(1−p)^γ", "(1−p)·γ", "focal loss", "seed's loss", "ratio"], focal, widths: [12, 9, 9, 11, 12, 7])
        let saturated = try seedFocalLossWithMultiplyBug(logits: try Tensor(shape: [1], scalars: [20]),
                                                         target: try Tensor(shape: [1], scalars: [1])).scalars[0]
        c.print("…and at logit 20 (p rounds to 1 in float32) the seed's loss is \(LossesCell.g(saturated)): one such pixel makes the batch's loss NaN")

        c.say("**SA-UNet's metrics without the FOV.** The authors' evaluation scores every pixel of the image, "
              + "including the black border outside the field of view, which every network gets right:")
        c.attempt("scoring SA-UNet with and without the FOV") {
            let run = try c.lab.network("SA-UNet")
            let inside = try VesselLabTraining.testScores(run, in: c).scores
            let everywhere = try VesselLabTraining.testScores(run, in: c, fov: false).scores
            let test = try c.lab.test.get()
            let labels = try VesselDataSet.targets(test.labels, classes: 1)
            let zeros = Tensor(zeros: labels.shape)
            let noneInside = try ConfusionMatrix(probabilities: zeros, labels: labels, mask: try test.fov.nhwcToNCHW())
            let noneEverywhere = try ConfusionMatrix(probabilities: zeros, labels: labels)
            c.table(["", "accuracy", "specificity", "F1", "AUC"],
                    [["SA-UNet inside the FOV"] + [inside.accuracy, inside.specificity, inside.f1, inside.auc].map(f4),
                     ["SA-UNet, every pixel"] + [everywhere.accuracy, everywhere.specificity, everywhere.f1, everywhere.auc].map(f4),
                     ["all background, FOV", f4(noneInside.accuracy), f4(noneInside.specificity), f4(noneInside.f1), "—"],
                     ["all background, every pixel", f4(noneEverywhere.accuracy), f4(noneEverywhere.specificity),
                      f4(noneEverywhere.f1), "—"]],
                    widths: [28, 9, 12, 7, 7])
            c.say("Accuracy, specificity and AUC rise without the FOV — the border is easy background — while F1, "
                  + "which ignores true negatives, does not move. Compare papers only when they use the same mask.")
        }
    }

    static func norm(_ t: Tensor) -> Double { t.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }
}
