import UNetKit
import SegmentationModels
import LabExercises

/// Grades the advanced lab's `focalLoss(_:_:alpha:gamma:)`: torchvision's `sigmoid_focal_loss`
/// with reduction "mean", α_t · (1 − p_t)^γ · BCE-with-logits, α on the positives (α = −1: none).
///
/// - torchvision's values (3 points): five cases (shapes [2, 1, 5, 7], [3, 8], [1, 2, 4, 3],
///   [2, 1, 6, 5], [1, 1, 3, 9]; (α, γ) = (0.25, 2), (−1, 0), (0.75, 1), (0.5, 3.5) with soft
///   targets, (0, 0.5));
/// - the gradients d loss/d logits of the same cases against torchvision's autograd (2 points);
/// - logits of ±100 beside moderate ones (2 points): value and gradient finite and as
///   torchvision's — a loss that takes log of the rounded probability gives inf/NaN, one that
///   clips the probability gives a capped, wrong loss;
/// - randomized (3 points), new every run: shapes of rank 1–4 with odd, non-square sizes,
///   α ∈ {−1, 0, 0.25, 0.5, 0.9, 1}, γ ∈ {0, 0.5, 1, 2, 2.7, 3}, logits up to ±60, 0/1 or soft
///   targets, value and gradient against UNetKit's `sigmoidFocalLoss`.
///
/// Tolerance: value 1e-5 + 1e-4·|expected|, gradient 1e-7 + 1e-3·|expected|.
public struct FocalLossExercise: ExerciseGrader {
    public init() {}
    public let exercise = "focal_loss"
    public let title = "Advanced: focalLoss"
    public let file = "Labs/FocalLoss.swift"
    public let function = "focalLoss(_:_:alpha:gamma:)"

    public func checks(_ set: ExerciseSet) -> [Check] {
        [
            Check("torchvision's values", points: 3) {
                for i in 0..<5 {
                    let c = try Self.fixture("focal.case\(i)")
                    let (value, _) = try Self.run(set, c.x, c.t, c.alpha, c.gamma, gradients: false)
                    try requireClose(value, c.y, absolute: 1e-5, relative: 1e-4, Self.call(c.x, c.alpha, c.gamma, "torchvision"))
                }
                return "5 cases: α = 0.25, −1, 0.75, 0.5, 0; γ = 2, 0, 1, 3.5 (soft targets), 0.5"
            },
            Check("gradients against torchvision", points: 2) {
                for i in 0..<5 {
                    let c = try Self.fixture("focal.case\(i)")
                    let (_, gradient) = try Self.run(set, c.x, c.t, c.alpha, c.gamma, gradients: true)
                    try requireClose(gradient!, c.gx, absolute: 1e-7, relative: 1e-3,
                                     "d loss/d logits of " + Self.call(c.x, c.alpha, c.gamma, "torchvision's autograd"))
                }
                return "d loss/d logits of the 5 cases"
            },
            Check("logits of ±100: finite, as torchvision", points: 2) {
                let c = try Self.fixture("focal.saturated")
                let (value, gradient) = try Self.run(set, c.x, c.t, c.alpha, c.gamma, gradients: true)
                guard value.isFinite else {
                    throw CheckFailure("focalLoss of logits [100, −100, 100, −100, 3, …] returned \(value), expected "
                                       + "\(c.y): σ(±100) rounds to 1 or 0, so log(p) or log(1 − p) is log 0 — use "
                                       + "log p = −softplus(−x), log(1 − p) = −softplus(x)")
                }
                try requireClose(value, c.y, absolute: 1e-5, relative: 1e-4,
                                 Self.call(c.x, c.alpha, c.gamma, "torchvision") + " with logits ±100 (a clipped probability caps the loss)")
                try requireClose(gradient!, c.gx, absolute: 1e-7, relative: 1e-3,
                                 "d loss/d logits with logits ±100 (torchvision's autograd)")
                return "logits ±100: loss \(value), finite gradient"
            },
            Check("randomized shapes, α and γ", points: 3) {
                let seed = randomizedSeed()
                var g = SeededGenerator(seed: seed)
                let alphas: [Float] = [-1, 0, 0.25, 0.5, 0.9, 1], gammas: [Float] = [0, 0.5, 1, 2, 2.7, 3]
                for case_ in 0..<6 {
                    let shape = (0..<g.integer(1, 5)).map { _ in g.integer(1, 8) }
                    let (alpha, gamma) = (alphas[g.integer(0, alphas.count)], gammas[g.integer(0, gammas.count)])
                    let x = Tensor(shape: shape) { _ in
                        g.nextUnit() < 0.1 ? Float(g.uniform(-60, 60)) : Float(g.normal() * 3) }
                    let t = Tensor(shape: shape) { _ in case_ % 3 == 2 ? Float(g.nextUnit()) : (g.nextUnit() < 0.3 ? 1 : 0) }
                    let reference = Variable(x, requiresGrad: true)
                    let expected = try sigmoidFocalLoss(reference, t, alpha: alpha, gamma: gamma)
                    try expected.backward()
                    let (value, gradient) = try Self.run(set, x, t, alpha, gamma, gradients: true)
                    let what = Self.call(x, alpha, gamma, "UNetKit's sigmoidFocalLoss, randomized, UNETLAB_GRADER_SEED=\(seed)")
                    try requireClose(value, Double(expected.value.scalars[0]), absolute: 1e-5, relative: 1e-4, what)
                    try requireClose(gradient!, reference.grad!, absolute: 1e-7, relative: 1e-3, "d loss/d logits of " + what)
                }
                return "6 cases (seed \(seed))"
            },
        ]
    }

    struct Case { var x: Tensor, t: Tensor, alpha: Float, gamma: Float, y: Double, gx: Tensor }

    static func fixture(_ name: String) throws -> Case {
        let params = try GradingFixtures.tensor("\(name).params").scalars
        return Case(x: try GradingFixtures.tensor("\(name).x"), t: try GradingFixtures.tensor("\(name).t"),
                    alpha: params[0], gamma: params[1], y: Double(try GradingFixtures.tensor("\(name).y").scalars[0]),
                    gx: try GradingFixtures.tensor("\(name).gx"))
    }

    static func call(_ x: Tensor, _ alpha: Float, _ gamma: Float, _ source: String) -> String {
        "focalLoss(logits \(shapeString(x.shape)), target, alpha: \(alpha), gamma: \(gamma)) (\(source))"
    }

    /// The answer's loss and, when asked, d loss/d logits.
    static func run(_ set: ExerciseSet, _ x: Tensor, _ t: Tensor, _ alpha: Float, _ gamma: Float,
                    gradients: Bool) throws -> (Double, Tensor?) {
        let logits = Variable(x, requiresGrad: true)
        let loss = try set.focalLoss(logits, t, alpha, gamma)
        guard loss.value.count == 1 else {
            throw CheckFailure("focalLoss(logits \(shapeString(x.shape)), …) returned shape \(shapeString(loss.shape)), "
                               + "expected a scalar [] (the mean over all elements)")
        }
        guard gradients else { return (Double(loss.value.scalars[0]), nil) }
        try loss.backward()
        let g = try requireGradient(logits, "focalLoss(logits \(shapeString(x.shape)), …)",
                                    hint: "return Variable(value, parents: [logits]) { dLoss in [d loss/d logits · dLoss] }")
        return (Double(loss.value.scalars[0]), g)
    }
}
