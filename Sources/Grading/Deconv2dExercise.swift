import UNetKit
import SegmentationModels
import LabExercises

/// Grades question 7, `deconv2d(_:_:)`: fill_zeros → conv2d (3×3, padding 1) → crop one pixel
/// on each side; input `[in, h, w]`, weights `[out, in, 3, 3]` → `[out, 2h − 1, 2w − 1]`.
///
/// - the seed's example (4 points): 4×3×3 input, 2×4×3×3 weights → the 2×5×5 output printed in
///   the seed, as PyTorch's ConvTranspose2d(4, 2, 3, stride 2, padding 1) gives it with the
///   weights rotated 180° and in/out swapped;
/// - random shapes against PyTorch (3 points): (in, out, h, w) = (3,2,4,5), (1,1,2,2), (2,3,3,1), (5,4,6,6);
/// - randomized inputs (3 points), new every run, against UNetKit's `convTranspose2dForward`
///   with the rotated, swapped weights.
///
/// Tolerance: 1e-4 + 1e-4·|expected|.
public struct Deconv2dExercise: ExerciseGrader {
    public init() {}
    public let exercise = "deconv2d"
    public let title = "Question 7: deconv2d"
    public let file = "Labs/Deconv2d.swift"
    public let function = "deconv2d(_:_:)"

    public func checks(_ set: ExerciseSet) -> [Check] {
        [
            Check("the seed's example", points: 4) {
                let (input, weights) = (try GradingFixtures.tensor("deconv.seed.input"), try GradingFixtures.tensor("deconv.seed.weights"))
                try Self.require(try set.deconv2d(input, weights), try GradingFixtures.tensor("deconv.seed.output"),
                                 input: input, weights: weights, source: "the seed's output, PyTorch")
                return "4×3×3 input, 2×4×3×3 weights → the seed's 2×5×5 output"
            },
            Check("random shapes against PyTorch", points: 3) {
                for i in 0..<4 {
                    let input = try GradingFixtures.tensor("deconv.random\(i).input")
                    let weights = try GradingFixtures.tensor("deconv.random\(i).weights")
                    try Self.require(try set.deconv2d(input, weights), try GradingFixtures.tensor("deconv.random\(i).output"),
                                     input: input, weights: weights, source: "PyTorch ConvTranspose2d")
                }
                return "4 shapes"
            },
            Check("randomized inputs", points: 3) {
                let seed = randomizedSeed()
                var g = SeededGenerator(seed: seed)
                for _ in 0..<5 {
                    let (cin, cout, h, w) = (g.integer(1, 5), g.integer(1, 5), g.integer(1, 7), g.integer(1, 7))
                    let input = randomNormal([cin, h, w], &g), weights = randomNormal([cout, cin, 3, 3], &g)
                    try Self.require(try set.deconv2d(input, weights), try Self.reference(input, weights),
                                     input: input, weights: weights,
                                     source: "convTranspose2dForward, randomized, UNETLAB_GRADER_SEED=\(seed)")
                }
                return "5 cases (seed \(seed))"
            },
        ]
    }

    /// ConvTranspose2d(in, out, 3, stride 2, padding 1) with `weights` `[out, in, 3, 3]` rotated
    /// 180° and in/out swapped to `[in, out, 3, 3]`. input `[in, h, w]` → `[out, 2h − 1, 2w − 1]`.
    public static func reference(_ input: Tensor, _ weights: Tensor) throws -> Tensor {
        let (cout, cin) = (weights.shape[0], weights.shape[1])
        let swapped = Tensor(shape: [cin, cout, 3, 3]) { i in weights[i[1], i[0], 2 - i[2], 2 - i[3]] }
        let y = try convTranspose2dForward(try Tensor(shape: [1] + input.shape, scalars: input.scalars),
                                           weight: swapped, bias: nil, stride: 2, padding: 1)
        return try Tensor(shape: Array(y.shape.dropFirst()), scalars: y.scalars)
    }

    static func require(_ actual: Tensor, _ expected: Tensor, input: Tensor, weights: Tensor, source: String) throws {
        let call = "deconv2d(input \(shapeString(input.shape)), weights \(shapeString(weights.shape)))"
        if actual.shape != expected.shape {
            let (h, w) = (input.shape[1], input.shape[2])
            var hint = " = [out, 2h − 1, 2w − 1]"
            if actual.shape == [weights.shape[0], 2 * h + 1, 2 * w + 1] {
                hint += "; you returned [out, 2h + 1, 2w + 1]: crop one pixel on each side"
            }
            throw CheckFailure("\(call) returned shape \(shapeString(actual.shape)), expected \(shapeString(expected.shape))\(hint)")
        }
        try requireClose(actual, expected, absolute: 1e-4, relative: 1e-4, "\(call) (\(source))")
    }
}
