import ArgumentParser
import Foundation
import UNetKit
import SyntheticData
import Experiments

/// `unetlab evaluate`: the metrics table inside the FOV and a ROC curve — of saved vessel
/// weights on fresh held-out synthetic images, or of any model's saved output.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score vessel segmentation inside the FOV: accuracy, sensitivity, specificity, precision, F1, balanced accuracy, IoU, Dice, AUC; ROC curve PNG.",
        discussion: """
            From weights (fresh synthetic vessels, sliding window):
              unetlab evaluate --weights runs/vessels/best.safetensors --count 8 --seed 99 --out runs/vessels/eval
            From files (safetensors tensors named probabilities/labels/fov or a single tensor; or PNG):
              unetlab evaluate --probabilities p.safetensors --labels y.png --fov fov.png --out eval
            """)

    @Option(help: "Weights from `train --data vessels`.") var weights: String?
    @Option(help: "Probabilities in [0, 1] (safetensors or PNG).") var probabilities: String?
    @Option(help: "0/1 labels (safetensors, or PNG thresholded at 128).") var labels: String?
    @Option(help: "Field of view (safetensors, or PNG thresholded at 128); default: every pixel.") var fov: String?
    @Option(help: "Synthetic images to score (with --weights).") var count = 4
    @Option(help: "Seed of the synthetic images (with --weights).") var seed: UInt64 = 1_000
    @Option(help: "Size of the synthetic images (default: the training size).") var size: Int?
    @Option(help: "Window side (default: the training patch, else the image size).") var patch: Int?
    @Option(help: "Overlap of neighbouring windows, in [0, 1).") var overlap = 0.25
    @Flag(help: "Gaussian window weights.") var gaussian = false
    @Option(help: "Folder for roc_curve.png and metrics.csv (created if missing).") var out: String

    @OptionGroup var exerciseChoice: ExerciseChoice

    func validate() throws {
        if weights != nil {
            guard probabilities == nil, labels == nil, fov == nil else {
                throw ValidationError("give either --weights or --probabilities with --labels (and --fov), not both")
            }
        } else {
            guard probabilities != nil, labels != nil else {
                throw ValidationError("expected --weights, or --probabilities and --labels")
            }
        }
        guard (1...10_000).contains(count) else { throw ValidationError("--count must be in 1…10000, but got \(count)") }
        if let size, !(32...4096).contains(size) { throw ValidationError("--size must be in 32…4096, but got \(size)") }
        if let patch, !(1...4096).contains(patch) { throw ValidationError("--patch must be in 1…4096, but got \(patch)") }
        guard overlap.isFinite, overlap >= 0, overlap < 1 else { throw ValidationError("--overlap must be in [0, 1), but got \(overlap)") }
        try requireOutputFolder(out)
    }

    func run() throws {
        let scores: SegmentationScores
        let title: String
        if let weights {
            let model = try VesselNetwork(weights: weights, exercises: try exerciseChoice.exercises())
            let imageSize = size ?? Int(model.fileMetadata["image_size"] ?? "") ?? 128
            let input = try VesselPrediction.synthetic(for: model, count: count, size: imageSize, seed: seed)
            let side = patch ?? Int(model.fileMetadata["patch"] ?? "") ?? imageSize
            let window = try SlidingWindow(patchSize: side, overlap: overlap, weighting: gaussian ? .gaussian : .constant)
            let p = try VesselPrediction.predict(model, input, window: window)
            scores = try SegmentationScores(probabilities: p, labels: input.labels!, fov: input.fov)
            title = "\(model.entry.displayName) on \(count) synthetic vessel images"
        } else {
            scores = try EvaluationInputs.scores(probabilities: probabilities!, labels: labels!, fov: fov)
            title = "ROC of \((probabilities! as NSString).lastPathComponent)"
        }
        print(scores.table)
        try createOutputDirectory(out)
        let directory = URL(fileURLWithPath: out)
        let csv = "metric,value\n" + scores.rows.map { "\($0.name),\($0.value)" }.joined(separator: "\n") + "\n"
        try writeFileAtomically(Array(csv.utf8), to: directory.appendingPathComponent("metrics.csv").path)
        try scores.rocFigure(title: title).write(to: directory.appendingPathComponent("roc_curve.png").path)
        print("wrote \(out)/{metrics.csv, roc_curve.png}")
    }
}
