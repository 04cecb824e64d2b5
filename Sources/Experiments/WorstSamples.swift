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

    /// Images drawn, scored and dropped at a time: memory stays that of one batch whatever `count` is.
    public static let batchSize = 8

    /// Ranks fresh images (seeded) worst first; writes `worst_<rank>.png` for the first `keep`.
    /// Returns those and the mean Dice over all `count` images. The images are drawn and scored
    /// `batchSize` at a time (the same stream as one draw of `count`); only the `keep` worst so
    /// far are kept.
    public static func find(_ model: LoadedModel, seed: UInt64, count: Int, keep: Int, size: Int,
                            outputDirectory: String) throws -> (worst: [Entry], meanDice: Float) {
        guard count >= 1, keep >= 1, keep <= count else {
            throw ConfigurationError("worst samples: expected count ≥ 1 and 1 ≤ keep ≤ count, but got \(count) and \(keep)")
        }
        try checkSize(height: size, width: size, for: model.description)
        let generator = try CourseData.generator(size: size, seed: seed)
        var worst: [(dice: Float, index: Int, image: Tensor, label: Tensor)] = []
        var diceSum: Float = 0
        for start in stride(from: 0, to: count, by: batchSize) {
            let n = min(batchSize, count - start)
            let (images, labels) = try generator(n)
            let scores = try diceScore(model.network, images: images, labels: labels)
            for (i, dice) in scores.enumerated() {
                diceSum += dice
                guard worst.count < keep || dice < worst[worst.count - 1].dice else { continue }
                worst.append((dice, start + i, try one(i, of: images), try one(i, of: labels)))
                worst.sort { ($0.dice, $0.index) < ($1.dice, $1.index) }
                if worst.count > keep { worst.removeLast() }
            }
        }
        let directory = URL(fileURLWithPath: outputDirectory)
        let entries = try worst.enumerated().map { rank, item in
            let name = try writePredictionFigures(model.network, images: item.image, labels: item.label, into: directory,
                                                  prefix: "worst_\(rank + 1)")[0]
            return Entry(index: item.index, dice: item.dice, file: name)
        }
        return (entries, diceSum / Float(count))
    }

    /// Sample `i` of an `[N, …]` tensor as `[1, …]`.
    static func one(_ i: Int, of t: Tensor) throws -> Tensor {
        let plane = t.shape.dropFirst().reduce(1, *)
        return try Tensor(shape: [1] + t.shape.dropFirst(), scalars: Array(t.scalars[(i * plane)..<((i + 1) * plane)]))
    }
}
