import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments

/// Cell 4 (seeds 001, 002): losses for imbalance — seed 001's focal loss with its bug, the NaN
/// and how logits avoid it, the focal-loss exercise, and one small UNet trained with each of
/// BCE, focal, soft Dice and 1 − IoU.
enum LossesCell {
    static func run(_ c: AdvancedCell) throws {
        let s = c.lab.settings
        c.say("With 1 vessel pixel in 8, binary cross-entropy is dominated by easy background pixels. Seed 001 "
              + "switches to the **focal loss** (Lin et al.): BCE · (1 − p_t)^γ · α_t, which shrinks the loss of "
              + "pixels already classified well (p_t near 1) so that the hard ones — thin vessel edges — count. "
              + "Seed 002 tries a soft **1 − IoU** loss, which, like soft Dice, scores the overlap directly.")
        c.say("Seed 001's first TensorFlow snippet has two bugs: `(1 - y_pred) * gamma` multiplies by γ instead of "
              + "raising to the power γ, and it puts 1 − α on the positives. It also takes log p of p = sigmoid(x) "
              + "directly. Here it is (UNetKit's `seedFocalLossWithMultiplyBug`) against the focal loss on logits "
              + "(`sigmoidFocalLoss`, torchvision's formula) and the clipped version the seed ends with "
              + "(`clippedFocalLoss`, p clipped to [1e-5, 1 − 1e-5]), for one pixel with target 1 (α 0.25, γ 2):")
        let logits: [Float] = [-100, -20, -5, 0, 2, 5, 20, 100]
        let x = try Tensor(shape: [logits.count], scalars: logits)
        let ones = Tensor(repeating: 1, shape: [logits.count])
        let buggy = try seedFocalLossWithMultiplyBug(logits: x, target: ones)
        let student: [Float]? = try c.advancedExercise("the focal-loss exercise on single pixels") {
            try logits.indices.map { i in
                try c.lab.exercises.focalLoss(Variable(try Tensor(shape: [1], scalars: [logits[i]])),
                                              try Tensor(shape: [1], scalars: [1]), 0.25, 2).value.scalars[0]
            }
        }
        var rows: [[String]] = []
        for i in logits.indices {
            let xi = Variable(try Tensor(shape: [1], scalars: [logits[i]])), t = try Tensor(shape: [1], scalars: [1])
            let reference = try sigmoidFocalLoss(xi, t).value.scalars[0]
            let clipped = try clippedFocalLoss(xi.sigmoid(), t).value.scalars[0]
            rows.append([String(format: "%.0f", logits[i]), g(reference), g(clipped), g(buggy.scalars[i])]
                        + (student.map { [g($0[i])] } ?? []))
        }
        c.table(["logit", "focal (logits)", "clipped", "seed 001 (bug)"] + (student == nil ? [] : ["your focalLoss"]), rows,
                widths: [6, 15, 12, 15, 15])
        c.say("The seed's version is NaN once the sigmoid rounds to 1 (from logit ≈ 17 in float32): its negative "
              + "term multiplies 1 − t = 0 by log(1 − p) = −∞. At logit 2 it is 0.25·… × γ(1 − p) instead of "
              + "(1 − p)^γ: an easy positive keeps a large loss. The clipped version is finite but flat beyond "
              + "the clip (no gradient); the version on logits uses log σ(x) = −softplus(−x) and is exact everywhere.")
        c.question(4)
        if let student {
            let reference = try logits.indices.map { i in
                try sigmoidFocalLoss(Variable(try Tensor(shape: [1], scalars: [logits[i]])), try Tensor(shape: [1], scalars: [1]))
                    .value.scalars[0]
            }
            let worst = zip(student, reference).map { abs($0 - $1) / max(1e-6, abs($1)) }.max() ?? .infinity
            c.print(student.allSatisfy(\.isFinite) && worst < 1e-3
                    ? "✓ your focalLoss matches the reference on these logits (largest relative difference \(g(worst))) and is finite at ±100"
                    : "✗ your focalLoss differs from the reference (largest relative difference \(g(worst))) or is not finite: check it")
        }

        c.say("Now the same UNet (the course's, width \(s.width), one output channel of logits) trained with each "
              + "loss — \(s.lossEpochs) epochs × \(s.stepsPerEpoch) Adam steps on \(s.patch)×\(s.patch) patches, "
              + "the same data, the same initial weights. The soft overlap losses are computed on σ(logits): the "
              + "probabilities carry the gradient (an argmax would not — seed 002's \"1 − IoU does not learn\").")
        let losses: [(String, (Variable, Tensor) throws -> Variable)] = [
            ("BCE", { try binaryCrossEntropyWithLogits($0, $1) }),
            ("focal", { y, t in try AdvancedExercises.named { try c.lab.exercises.focalLoss(y, t, 0.25, 2) } }),
            ("soft Dice", { try softDiceLoss($0.sigmoid(), $1) }),
            ("1 − IoU", { try softIoULoss($0.sigmoid(), $1) }),
        ]
        for (name, loss) in losses {
            c.attempt("training the UNet with the \(name) loss") {
                try AdvancedExercises.named {
                    _ = try loss(Variable(Tensor(zeros: [1, 1, 2, 2])), Tensor(zeros: [1, 1, 2, 2]))   // a stub throws here
                }
                manualSeed(s.seed)
                let net = UNet(nChannels: 1, nClasses: 1, base: s.width)
                c.lab.lossRuns.append(try VesselLabTraining.train(name: name, network: net, output: .logits,
                                                                  epochs: s.lossEpochs, loss: loss, in: c))
            }
        }
        let runs = c.lab.lossRuns
        guard !runs.isEmpty else { return }
        try c.figure("cell4_loss_curves.png", caption: "Validation F1 and AUC per epoch of the UNet trained with each loss") { path in
            try LinePlot(title: "Validation F1 (solid) and AUC per loss", xLabel: "epoch", yLabel: "score inside the FOV",
                         series: try runs.enumerated().flatMap { i, r in
                             let x = r.records.map { Float($0.epoch) }
                             return [try LineSeries(name: "\(r.name) F1", values: r.records.map(\.validationDice), xValues: x,
                                                    color: RGBColor.tab10[i]),
                                     try LineSeries(name: "\(r.name) AUC", values: r.records.map(\.validationAUC), xValues: x,
                                                    color: RGBColor.tab10[i + 4])]
                         }, showsLegend: true).write(to: path)
        }
        c.say("On the held-out test images, inside the FOV, threshold 0.5:")
        try scoresTable(runs, in: c)
        c.question(5)
    }

    /// The metrics table of runs on the test images.
    static func scoresTable(_ runs: [VesselLabRun], in c: AdvancedCell, papers: [String: [String]] = [:]) throws {
        var rows: [[String]] = []
        for r in runs {
            let sc = try VesselLabTraining.testScores(r, in: c).scores
            rows.append([r.name] + [sc.accuracy, sc.sensitivity, sc.specificity, sc.f1, sc.balancedAccuracy, sc.auc].map(f4))
            if let paper = papers[r.name] { rows.append(paper) }
        }
        c.table(["", "accuracy", "sensitivity", "specificity", "F1", "balanced acc.", "AUC"], rows,
                widths: [26, 9, 12, 12, 7, 14, 7])
    }

    static func g(_ v: Float) -> String { v.isNaN ? "nan" : v.isInfinite ? (v > 0 ? "inf" : "-inf") : String(format: "%.4g", v) }
}
