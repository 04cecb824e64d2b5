import UNetKit
import SegmentationModels
import LabExercises

/// Grades question 3, `jaccardCoeff(_:_:)`: J(a, b) = (Σab + ε)/(Σa + Σb − Σab + ε), ε = 1e-4.
///
/// - the seed's four examples (4 points): (eye3, eye3) = 1, (eye3, ones3) = 0.3333,
///   (zeros3, ones3) = 1.1111e-05, (zeros3, zeros3) = 1, as PyTorch computes them;
/// - random masks against PyTorch (3 points): 0/1 masks and soft probabilities, shapes
///   [2, 2, 8, 8], [1, 1, 5, 7], [3, 4], [2, 2, 16, 16];
/// - randomized masks (3 points), new every run, against the formula computed here in Double:
///   an answer fitted to the fixtures fails.
///
/// Tolerance: 1e-6 + 1e-4·|expected|.
public struct JaccardExercise: ExerciseGrader {
    public init() {}
    public let exercise = "jaccard"
    public let title = "Question 3: JaccardCoeff"
    public let file = "Labs/JaccardCoeff.swift"
    public let function = "jaccardCoeff(_:_:)"

    static let seedNames = ["(eye3, eye3)", "(eye3, ones3)", "(zeros3, ones3)", "(zeros3, zeros3)"]

    public func checks(_ set: ExerciseSet) -> [Check] {
        [
            Check("the seed's four examples", points: 4) {
                for (i, name) in Self.seedNames.enumerated() {
                    let a = try GradingFixtures.tensor("jaccard.seed\(i).a"), b = try GradingFixtures.tensor("jaccard.seed\(i).b")
                    try Self.require(try set.jaccardCoeff(a, b), GradingFixtures.tensor("jaccard.seed\(i).value").scalars[0],
                                     "jaccard\(name)", source: "the seed's value, PyTorch")
                }
                return "jaccard(eye3, eye3) = 1, (eye3, ones3) = 0.3333, (zeros3, ones3) = 1.1111e-05, (zeros3, zeros3) = 1"
            },
            Check("random masks against PyTorch", points: 3) {
                for i in 0..<4 {
                    let a = try GradingFixtures.tensor("jaccard.random\(i).a"), b = try GradingFixtures.tensor("jaccard.random\(i).b")
                    try Self.require(try set.jaccardCoeff(a, b), GradingFixtures.tensor("jaccard.random\(i).value").scalars[0],
                                     "jaccard(a, b) for \(i % 2 == 1 ? "soft" : "0/1") masks of shape \(shapeString(a.shape))",
                                     source: "PyTorch")
                }
                return "4 cases, 0/1 and soft masks"
            },
            Check("randomized masks", points: 3) {
                let seed = randomizedSeed()
                var g = SeededGenerator(seed: seed)
                for case_ in 0..<6 {
                    let rank = g.integer(1, 5)
                    let shape = (0..<rank).map { _ in g.integer(1, 7) }
                    let soft = case_ % 2 == 1
                    let density = g.uniform(0.1, 0.9)
                    let a = Tensor(shape: shape) { _ in soft ? Float(g.nextUnit()) : (g.nextUnit() < density ? 1 : 0) }
                    let b = Tensor(shape: shape) { _ in g.nextUnit() < 0.5 ? 1 : 0 }
                    try Self.require(try set.jaccardCoeff(a, b), Self.formula(a, b),
                                     "jaccard(a, b) for \(soft ? "soft" : "0/1") masks of shape \(shapeString(shape)) "
                                     + "(randomized, UNETLAB_GRADER_SEED=\(seed))",
                                     source: "(Σab + 1e-4)/(Σa + Σb − Σab + 1e-4)")
                }
                return "6 cases (seed \(seed))"
            },
        ]
    }

    /// The formula, independently of any answer: sums in Double.
    static func formula(_ a: Tensor, _ b: Tensor) -> Float {
        var (ab, sa, sb) = (0.0, 0.0, 0.0)
        for (x, y) in zip(a.scalars, b.scalars) { ab += Double(x) * Double(y); sa += Double(x); sb += Double(y) }
        return Float((ab + 1e-4) / (sa + sb - ab + 1e-4))
    }

    static func require(_ actual: Float, _ expected: Float, _ what: String, source: String) throws {
        guard actual.isFinite, abs(actual - expected) <= 1e-6 + 1e-4 * abs(expected) else {
            throw CheckFailure("\(what) returned \(actual), expected \(expected) (\(source))")
        }
    }
}
