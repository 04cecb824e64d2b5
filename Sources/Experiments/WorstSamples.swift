import Foundation
import UNetKit
import SegmentationModels
import LabExercises
import SyntheticData

/// Question 5: which images does the network get wrong? Scores `count` fresh images by
/// foreground Dice, and writes the prediction figures of the `keep` worst ones.
public struct WorstSamples {
    public struct Entry {
        public var index: Int
        public var dice: Float
        public var file: String
    }

    /// Ranks fresh images (seeded) worst first; writes `worst_<rank>.png` for the first `keep`.
    /// Returns those and the mean Dice over all `count` images.
    public static func find(_ model: LoadedModel, seed: UInt64, count: Int, keep: Int, size: Int,
                            outputDirectory: String) throws -> (worst: [Entry], meanDice: Float) {
        guard count >= 1, keep >= 1 else {
            throw ConfigurationError("worst samples: expected count ≥ 1 and keep ≥ 1, but got \(count) and \(keep)")
        }
        try checkSize(height: size, width: size, for: model.description)
        let generator = try CourseData.generator(size: size, seed: seed)
        let (images, labels) = try generator(count)
        let scores = try diceScore(model.network, images: images, labels: labels)
        let worst = scores.enumerated().sorted { $0.element < $1.element }.prefix(keep)
        let directory = URL(fileURLWithPath: outputDirectory)
        let entries = try worst.enumerated().map { rank, item in
            let one = { (t: Tensor) throws -> Tensor in
                let plane = t.shape.dropFirst().reduce(1, *)
                return try Tensor(shape: [1] + t.shape.dropFirst(), scalars: Array(t.scalars[(item.offset * plane)..<((item.offset + 1) * plane)]))
            }
            let name = try writePredictionFigures(model.network, images: one(images), labels: one(labels), into: directory,
                                                  prefix: "worst_\(rank + 1)")[0]
            return Entry(index: item.offset, dice: item.element, file: name)
        }
        return (entries, scores.reduce(0, +) / Float(scores.count))
    }
}
