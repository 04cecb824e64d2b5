import Foundation
import UNetKit
import Figures

/// The scores of a binary segmentation inside a field of view: the confusion-matrix metrics
/// at threshold 0.5 (a pixel is a vessel when its probability is ≥ 0.5) and the ROC curve
/// and its AUC over all thresholds — UNetKit's `ConfusionMatrix` and `rocCurve`/`rocAUCScore`
/// on the pixels where the FOV is 1.
public struct SegmentationScores: Sendable {
    public var confusion: ConfusionMatrix
    public var roc: ROCCurve
    public var auc: Double

    public var accuracy: Double { confusion.accuracy }
    public var sensitivity: Double { confusion.sensitivity }
    public var specificity: Double { confusion.specificity }
    public var precision: Double { confusion.precision }
    public var f1: Double { confusion.f1 }
    public var balancedAccuracy: Double { confusion.balancedAccuracy }
    public var iou: Double { confusion.iou }
    public var dice: Double { confusion.dice }

    /// - Parameters: `probabilities` in [0, 1], `labels` 0/1 and `fov` 0/1 (nil: every pixel), all of one shape.
    /// - Throws: `ConfigurationError` when the pixels scored hold only one class (then
    ///   sensitivity or specificity and the AUC are undefined); `ShapeError` for shapes that differ
    ///   or labels/FOV that are not 0/1.
    public init(probabilities: Tensor, labels: Tensor, fov: Tensor? = nil) throws {
        confusion = try ConfusionMatrix(probabilities: probabilities, labels: labels, threshold: 0.5, mask: fov)
        let positives = confusion.truePositives + confusion.falseNegatives
        let negatives = confusion.trueNegatives + confusion.falsePositives
        guard positives > 0 && negatives > 0 else {
            throw ConfigurationError("only one class is present in the \(positives + negatives) labelled pixels scored"
                                     + "\(fov == nil ? "" : " (inside the FOV)"): \(positives) vessel, \(negatives) background — "
                                     + "sensitivity, specificity and the ROC AUC are undefined without both classes")
        }
        roc = try rocCurve(probabilities: probabilities, labels: labels, mask: fov)
        auc = trapezoidArea(x: roc.falsePositiveRates, y: roc.truePositiveRates)
    }

    /// (name, value) in the order of the table.
    public var rows: [(name: String, value: Double)] {
        [("accuracy", accuracy), ("sensitivity", sensitivity), ("specificity", specificity), ("precision", precision),
         ("F1", f1), ("balanced accuracy", balancedAccuracy), ("IoU", iou), ("Dice", dice), ("AUC", auc)]
    }

    /// The metrics table, one metric a line, values with 4 decimals, then the pixel counts.
    public var table: String {
        var lines = ["metric              value"]
        lines += rows.map { $0.name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "  %.4f", $0.value) }
        lines.append("(\(confusion.total) pixels: TP \(confusion.truePositives), FP \(confusion.falsePositives), "
                     + "TN \(confusion.trueNegatives), FN \(confusion.falseNegatives); threshold 0.5)")
        return lines.joined(separator: "\n")
    }

    /// The ROC curve as a line plot (true positive rate against false positive rate).
    public func rocFigure(title: String) throws -> LinePlot {
        try LinePlot(title: title, xLabel: "false positive rate (1 − specificity)", yLabel: "true positive rate (sensitivity)",
                     series: [try LineSeries(name: String(format: "ROC (AUC %.4f)", auc),
                                             values: roc.truePositiveRates.map(Float.init),
                                             xValues: roc.falsePositiveRates.map(Float.init)),
                              try LineSeries(name: "chance", values: [0, 1], xValues: [0, 1], color: RGBColor(red: 0.63, green: 0.63, blue: 0.63))],
                     width: 600, height: 600, showsLegend: true)
    }
}
