import ArgumentParser
import Foundation
import UNetKit
import SyntheticData
import LabExercises
import Experiments

/// The options of `unetlab predict` for weights from `train --data vessels` (sliding-window prediction).
struct VesselPredictArguments: ParsableArguments {
    @Option(help: "Vessels: window side (default: the training patch, else the image size).") var patch: Int?
    @Option(help: "Vessels: overlap of neighbouring windows, in [0, 1).") var overlap = 0.25
    @Flag(help: "Vessels: Gaussian window weights instead of constant.") var gaussian = false
    @Option(help: "Vessels: field-of-view PNG for --image (same size; ≥ 128 is inside).") var fov: String?

    func validate() throws {
        if let patch, !(1...4096).contains(patch) { throw ValidationError("--patch must be in 1…4096, but got \(patch)") }
        guard overlap.isFinite, overlap >= 0, overlap < 1 else {
            throw ValidationError("--overlap must be in [0, 1), but got \(overlap)")
        }
    }

    /// Whether `weights` was written by a vessel run.
    static func isVesselWeights(_ weights: String) throws -> Bool {
        try SafeTensors.read(URL(fileURLWithPath: weights)).metadata["data"] == "vessels"
    }

    func window(for model: VesselNetwork, imageSize: Int) throws -> SlidingWindow {
        let side = patch ?? Int(model.fileMetadata["patch"] ?? "") ?? Int(model.fileMetadata["image_size"] ?? "") ?? imageSize
        return try SlidingWindow(patchSize: side, overlap: overlap, weighting: gaussian ? .gaussian : .constant)
    }

    func run(weights: String, image: String?, seed: UInt64, count: Int, size: Int?, out: String, exercises: ExerciseSet) throws {
        guard fov == nil || image != nil else { throw ValidationError("--fov needs --image (synthetic images come with their FOV)") }
        let model = try VesselNetwork(weights: weights, exercises: exercises)
        let input = if let image { try VesselPrediction.png(for: model, image: image, fov: fov) } else {
            try VesselPrediction.synthetic(for: model, count: count, size: size ?? Int(model.fileMetadata["image_size"] ?? "") ?? 128,
                                           seed: seed)
        }
        let window = try window(for: model, imageSize: input.images.shape[2])
        let probabilities = try VesselPrediction.predict(model, input, window: window)
        let files = try VesselPrediction.write(input, probabilities: probabilities, metadata: model.metadata,
                                               into: URL(fileURLWithPath: out))
        print("\(model.entry.displayName) from \(weights) (windows \(window.patchSize)×\(window.patchSize), overlap \(overlap)): "
              + "wrote \(out)/{\(files.joined(separator: ", "))}")
    }
}
