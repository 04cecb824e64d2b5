import Foundation
import UNetKit
import Figures

/// What one epoch of a vessel run measured. Training values are means over the epoch's
/// steps (accuracy inside the FOV of the training batches); validation values are on the
/// held-out images, inside their FOV, at threshold 0.5.
public struct EpochRecord: Equatable, Sendable {
    public var epoch: Int
    public var learningRate: Float
    public var trainingLoss: Float
    public var trainingAccuracy: Float
    public var validationLoss: Float
    public var validationAccuracy: Float
    public var validationDice: Float
    public var validationAUC: Float

    public init(epoch: Int, learningRate: Float, trainingLoss: Float, trainingAccuracy: Float, validationLoss: Float,
                validationAccuracy: Float, validationDice: Float, validationAUC: Float) {
        self.epoch = epoch; self.learningRate = learningRate; self.trainingLoss = trainingLoss
        self.trainingAccuracy = trainingAccuracy; self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy; self.validationDice = validationDice; self.validationAUC = validationAUC
    }

    public static let csvHeader = "epoch,lr,train_loss,train_accuracy,val_loss,val_accuracy,val_dice,val_auc"

    /// One CSV line; floats in their shortest round-trip form.
    public var csvLine: String {
        "\(epoch),\(learningRate),\(trainingLoss),\(trainingAccuracy),\(validationLoss),\(validationAccuracy),"
            + "\(validationDice),\(validationAUC)"
    }

    /// Parses `csvLine`'s format.
    public init(csvLine line: Substring) throws {
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
        guard f.count == 8, let e = Int(f[0]) else {
            throw ConfigurationError("history line '\(line)': expected \(Self.csvHeader)")
        }
        let v = try f.dropFirst().map { s -> Float in
            guard let x = Float(s) else { throw ConfigurationError("history line '\(line)': '\(s)' is not a number") }
            return x
        }
        self.init(epoch: e, learningRate: v[0], trainingLoss: v[1], trainingAccuracy: v[2], validationLoss: v[3],
                  validationAccuracy: v[4], validationDice: v[5], validationAUC: v[6])
    }
}

/// The per-epoch records of a run: CSV text, and the curves the seeds draw.
public enum EpochHistory {
    public static func csv(_ records: [EpochRecord]) -> String {
        ([EpochRecord.csvHeader] + records.map(\.csvLine)).joined(separator: "\n") + "\n"
    }

    public static func parse(_ text: String) throws -> [EpochRecord] {
        try text.split(separator: "\n").dropFirst().map { try EpochRecord(csvLine: $0) }
    }

    /// Training and validation loss per epoch.
    public static func lossFigure(_ records: [EpochRecord], title: String) throws -> LinePlot {
        let x = records.map { Float($0.epoch) }
        return try LinePlot(title: "\(title): loss", xLabel: "epoch", yLabel: "loss", series: [
            try LineSeries(name: "training", values: records.map(\.trainingLoss), xValues: x, color: RGBColor.tab10[0]),
            try LineSeries(name: "validation", values: records.map(\.validationLoss), xValues: x, color: RGBColor.tab10[1]),
        ], showsLegend: true)
    }

    /// Training and validation accuracy (inside the FOV) per epoch.
    public static func accuracyFigure(_ records: [EpochRecord], title: String) throws -> LinePlot {
        let x = records.map { Float($0.epoch) }
        return try LinePlot(title: "\(title): accuracy", xLabel: "epoch", yLabel: "accuracy (inside the FOV)", series: [
            try LineSeries(name: "training", values: records.map(\.trainingAccuracy), xValues: x, color: RGBColor.tab10[0]),
            try LineSeries(name: "validation", values: records.map(\.validationAccuracy), xValues: x, color: RGBColor.tab10[1]),
        ], showsLegend: true)
    }
}
