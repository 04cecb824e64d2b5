import Foundation
import UNetKit
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments

/// Cell 9 (seed 003): ROC curves of the four networks with their AUC, how the threshold moves
/// sensitivity and specificity, and the rocAUC exercise.
enum ROCCell {
    static func run(_ c: AdvancedCell) throws {
        c.say("A network outputs a probability per pixel; a threshold turns it into a mask. The ROC curve "
              + "(seed 003) draws the true positive rate (sensitivity) against the false positive rate "
              + "(1 − specificity) for every threshold at once, and the area under it (AUC) is the probability "
              + "that a random vessel pixel scores higher than a random background pixel — independent of any "
              + "threshold. Scores as scikit-learn's `roc_curve`: tied scores form one threshold, trapezoids.")
        let runs = try c.lab.trainedNetworks()
        var scored: [(VesselLabRun, SegmentationScores, Tensor)] = []
        for run in runs {
            let (scores, p) = try VesselLabTraining.testScores(run, in: c)
            scored.append((run, scores, p))
        }
        try c.figure("cell9_roc.png", caption: "ROC curves of the four networks on the test images, inside the FOV") { path in
            try LinePlot(title: "ROC inside the FOV", xLabel: "false positive rate (1 − specificity)",
                         yLabel: "true positive rate (sensitivity)",
                         series: try scored.enumerated().map { i, item in
                             try LineSeries(name: String(format: "%@ (AUC %.4f)", item.0.name, item.1.auc),
                                            values: item.1.roc.truePositiveRates.map(Float.init),
                                            xValues: item.1.roc.falsePositiveRates.map(Float.init), color: RGBColor.tab10[i])
                         } + [try LineSeries(name: "chance", values: [0, 1], xValues: [0, 1],
                                             color: RGBColor(red: 0.63, green: 0.63, blue: 0.63))],
                         width: 700, height: 650, showsLegend: true).write(to: path)
        }
        let (best, _, probabilities) = scored.max { $0.1.auc < $1.1.auc }!
        let test = try c.lab.test.get()
        let labels = try VesselDataSet.targets(test.labels, classes: 1), fov = try test.fov.nhwcToNCHW()
        c.say("How the threshold moves the scores of \(best.name) (the highest AUC):")
        var rows: [[String]] = []
        for threshold: Float in [0.1, 0.3, 0.5, 0.7, 0.9] {
            let m = try ConfusionMatrix(probabilities: probabilities, labels: labels, threshold: threshold, mask: fov)
            rows.append([String(format: "%.1f", threshold)] + [m.sensitivity, m.specificity, m.precision, m.f1, m.accuracy].map(f4))
        }
        c.table(["threshold", "sensitivity", "specificity", "precision", "F1", "accuracy"], rows, widths: [9, 12, 12, 10, 7, 9])
        c.say("Lowering the threshold finds more vessel pixels (sensitivity up) at the price of false alarms "
              + "(specificity and precision down); the AUC stays where it is.")
        c.question(10)
        // The exercise on the best network's FOV pixels, and on scores with ties.
        var scores: [Float] = [], truth: [Bool] = []
        for i in probabilities.scalars.indices where fov.scalars[i] > 0.5 {
            scores.append(probabilities.scalars[i]); truth.append(labels.scalars[i] > 0.5)
        }
        let tied = scores.map { ($0 * 10).rounded() / 10 }
        if let mine = try c.advancedExercise("checking your rocAUC", {
            (try c.lab.exercises.rocAUC(scores, truth), try c.lab.exercises.rocAUC(tied, truth))
        }) {
            let reference = (try rocAUCScore(scores: scores, labels: truth), try rocAUCScore(scores: tied, labels: truth))
            let ok = abs(mine.0 - reference.0) <= 1e-9 && abs(mine.1 - reference.1) <= 1e-9
            c.print(String(format: "your rocAUC: %.6f on %d pixels (reference %.6f); scores rounded to 0.1 (many ties): "
                           + "%.6f (reference %.6f) %@", mine.0, scores.count, reference.0, mine.1, reference.1,
                           ok ? "✓" : "✗ tied scores must form one threshold"))
        }
    }
}
