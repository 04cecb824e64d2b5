import UNetKit
import SegmentationModels
import LabExercises

/// Grades the advanced lab's `slidingWindowPredict(_:patchSize:overlap:model:)`: windows every
/// Int(patch·(1 − overlap)) pixels, the last moved to the border, small images padded, the
/// overlapping predictions averaged with constant weights.
///
/// The patch models depend on the whole patch (its mean), so where the windows lie and how
/// they are averaged matters — but not where the zero padding of a small image goes:
///
///     [n, C, p, p] → [n, K, p, p]:   x0 − mean_patch(x0),  x_last · mean_patch(x0) (+ x0 + x1 …)
///
/// - an identity model gives any image back (2 points): [1, 1, 13, 22] (patch 8, overlap 0.5),
///   [2, 3, 5, 7] (smaller than the patch 8), [1, 2, 17, 9] (patch 9, no overlap);
/// - against the reference (4 points): six cases of odd, non-square sizes, images smaller than
///   the patch along one or both axes, overlaps 0 … 0.875, computed by
///   `Fixtures/make_exercise_fixtures.py` (MONAI's rule, constant weights);
/// - randomized (4 points), new every run: batch, channels, sizes 1–40, patch 3–16 and overlap
///   against the rule computed here in Double.
///
/// Catches: the last write winning instead of averaging (seams), the last window not moved to
/// the border (an uncovered strip), step = patch whatever the overlap. Tolerance 1e-5 + 1e-4·|expected|.
public struct SlidingWindowExercise: ExerciseGrader {
    public init() {}
    public let exercise = "sliding_window"
    public let title = "Advanced: slidingWindowPredict"
    public let file = "Labs/SlidingWindowPredict.swift"
    public let function = "slidingWindowPredict(_:patchSize:overlap:model:)"

    public func checks(_ set: ExerciseSet) -> [Check] {
        [
            Check("an identity model gives the image back", points: 2) {
                var g = SeededGenerator(seed: 3)
                for (shape, patch, overlap) in [([1, 1, 13, 22], 8, 0.5), ([2, 3, 5, 7], 8, 0.25), ([1, 2, 17, 9], 9, 0.0)] {
                    let images = randomNormal(shape, &g)
                    let out = try set.slidingWindowPredict(images, patch, overlap, Self.checked(channels: shape[1], patch: patch) { $0 })
                    try requireClose(out, images, absolute: 1e-5, relative: 1e-5,
                                     "slidingWindowPredict(images \(shapeString(shape)), patchSize: \(patch), overlap: \(overlap)) "
                                     + "with an identity model (expected the images back)")
                }
                return "[1, 1, 13, 22], [2, 3, 5, 7] (smaller than the patch), [1, 2, 17, 9]"
            },
            Check("against the reference (odd, non-square sizes)", points: 4) {
                for i in 0..<6 {
                    let images = try GradingFixtures.tensor("window.case\(i).in")
                    let params = try GradingFixtures.tensor("window.case\(i).params").scalars
                    let (patch, overlap) = (Int(params[0]), fixtureDouble(params[1]))
                    let out = try set.slidingWindowPredict(images, patch, overlap,
                                                           Self.checked(channels: 2, patch: patch, Self.fixtureModel))
                    try requireClose(out, try GradingFixtures.tensor("window.case\(i).out"), absolute: 1e-5, relative: 1e-4,
                                     "slidingWindowPredict(images \(shapeString(images.shape)), patchSize: \(patch), "
                                     + "overlap: \(overlap)) (the reference of Fixtures/make_exercise_fixtures.py)")
                }
                return "6 cases: 23×17, 19×30, 5×9, 6×5, 21×21, 15×26; overlaps 0 to 0.875"
            },
            Check("randomized sizes, patches and overlaps", points: 4) {
                let seed = randomizedSeed()
                var g = SeededGenerator(seed: seed)
                for _ in 0..<6 {
                    let shape = [g.integer(1, 3), g.integer(1, 4), g.integer(1, 41), g.integer(1, 41)]
                    let patch = g.integer(3, 17)
                    let overlap = [0, 0.25, 0.5, 0.6, 0.9][g.integer(0, 5)]
                    let images = randomNormal(shape, &g)
                    let out = try set.slidingWindowPredict(images, patch, overlap,
                                                           Self.checked(channels: shape[1], patch: patch, Self.meanModel))
                    try requireClose(out, try Self.reference(images, patch: patch, overlap: overlap, model: Self.meanModel),
                                     absolute: 1e-5, relative: 1e-4,
                                     "slidingWindowPredict(images \(shapeString(shape)), patchSize: \(patch), overlap: \(overlap)) "
                                     + "(the rule, randomized, UNETLAB_GRADER_SEED=\(seed))")
                }
                return "6 cases (seed \(seed))"
            },
        ]
    }

    /// The model, refusing windows that are not `[n, channels, patch, patch]`.
    static func checked(channels: Int, patch: Int, _ model: @escaping (Tensor) throws -> Tensor) -> (Tensor) throws -> Tensor {
        { x in
            guard x.rank == 4, x.shape[0] >= 1, x.shape[1] == channels, x.shape[2] == patch, x.shape[3] == patch else {
                throw CheckFailure("slidingWindowPredict called the model with shape \(shapeString(x.shape)), expected "
                                   + "windows [n, \(channels), \(patch), \(patch)]")
            }
            return try model(x)
        }
    }

    /// Per window: the mean of channel 0 over the window, m.
    static func patchMeans(_ x: Tensor) -> [Float] {
        let (n, c, p) = (x.shape[0], x.shape[1], x.shape[2])
        return (0..<n).map { i in
            let start = i * c * p * p
            return Float(x.scalars[start..<(start + p * p)].reduce(0.0) { $0 + Double($1) } / Double(p * p))
        }
    }

    /// The fixtures' patch model: [n, 2, p, p] → [x0 − m, x1 · m, x0 + x1].
    static func fixtureModel(_ x: Tensor) throws -> Tensor {
        let m = patchMeans(x)
        return Tensor(shape: [x.shape[0], 3, x.shape[2], x.shape[3]]) { i in
            let (x0, x1) = (x[i[0], 0, i[2], i[3]], x[i[0], 1, i[2], i[3]])
            return [x0 - m[i[0]], x1 * m[i[0]], x0 + x1][i[1]]
        }
    }

    /// The randomized cases' patch model: [n, C, p, p] → [x0 − m, x_last · m + 0.5].
    static func meanModel(_ x: Tensor) throws -> Tensor {
        let m = patchMeans(x)
        let last = x.shape[1] - 1
        return Tensor(shape: [x.shape[0], 2, x.shape[2], x.shape[3]]) { i in
            i[1] == 0 ? x[i[0], 0, i[2], i[3]] - m[i[0]] : x[i[0], last, i[2], i[3]] * m[i[0]] + 0.5
        }
    }

    /// Window starts along an axis of `size` ≥ patch (MONAI's rule).
    static func starts(size: Int, patch: Int, overlap: Double) -> [Int] {
        let step = size == patch ? patch : max(1, Int(Double(patch) * (1 - overlap)))
        var result = Array(stride(from: 0, to: size - patch, by: step))
        result.append(size - patch)
        return result
    }

    /// The rule, one window at a time, sums in Double: images `[B, C, H, W]` → `[B, K, H, W]`.
    static func reference(_ images: Tensor, patch p: Int, overlap: Double, model: (Tensor) throws -> Tensor) throws -> Tensor {
        let (b, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let (bigH, bigW) = (max(h, p), max(w, p))
        let (top, left) = ((bigH - h) / 2, (bigW - w) / 2)
        var sums: [[Double]] = [], counts = [Double](repeating: 0, count: bigH * bigW), classes = 0
        for y0 in starts(size: bigH, patch: p, overlap: overlap) {
            for x0 in starts(size: bigW, patch: p, overlap: overlap) {
                let window = Tensor(shape: [b, c, p, p]) { i in
                    let (y, x) = (y0 + i[2] - top, x0 + i[3] - left)
                    return y >= 0 && y < h && x >= 0 && x < w ? images[i[0], i[1], y, x] : 0
                }
                let out = try model(window)
                if sums.isEmpty { classes = out.shape[1]; sums = Array(repeating: Array(repeating: 0, count: bigH * bigW), count: b * classes) }
                for n in 0..<b { for k in 0..<classes { for i in 0..<p { for j in 0..<p {
                    sums[n * classes + k][(y0 + i) * bigW + x0 + j] += Double(out[n, k, i, j])
                } } } }
                for i in 0..<p { for j in 0..<p { counts[(y0 + i) * bigW + x0 + j] += 1 } }
            }
        }
        let k = classes
        return Tensor(shape: [b, k, h, w]) { i in
            let at = (i[2] + top) * bigW + i[3] + left
            return Float(sums[i[0] * k + i[1]][at] / counts[at])
        }
    }
}
