import UNetKit
import SegmentationModels
import LabExercises

/// Grades the advanced lab's `SpatialAttentionGate`: x · sigmoid(conv_k×k([mean_c x, max_c x])),
/// padding k/2, no bias, one parameter `conv.weight` `[1, 2, k, k]`.
///
/// - parameters (2 points): kernel sizes 7 and 3 give exactly one parameter, `conv.weight`
///   [1, 2, k, k] (2k² numbers; a bias is not SA-UNet's);
/// - parity with PyTorch (4 points): with given weights, x [2, 3, 9, 13] (k 7) and [1, 4, 6, 5]
///   (k 3): the output, the input gradient and the weight gradient for a given output gradient
///   (catches the [max, mean] order, a missing sigmoid, returning the map instead of x · map);
/// - randomized (4 points), new every run: N, C, odd and non-square H × W, k ∈ {1, 3, 5, 7} and
///   weights against UNetKit's `SpatialAttention` with the same weights: output and input gradient.
///
/// Tolerance: 1e-5 + 1e-4·|expected|.
public struct SpatialAttentionExercise: ExerciseGrader {
    public init() {}
    public let exercise = "spatial_attention"
    public let title = "Advanced: SpatialAttention"
    public let file = "Labs/SpatialAttentionGate.swift"
    public let function = "SpatialAttentionGate.init and forward(_:)"

    public func checks(_ set: ExerciseSet) -> [Check] {
        [
            Check("one parameter conv.weight [1, 2, k, k]", points: 2) {
                for k in [7, 3] {
                    let module = set.makeSpatialAttention(k)
                    try Self.probe(module)
                    let names = module.namedParameters().map { "\($0.0) \(shapeString($0.1.shape))" }
                    guard names == ["conv.weight \(shapeString([1, 2, k, k]))"] else {
                        throw CheckFailure("makeSpatialAttention(\(k)) has the parameters "
                                           + "[\(names.joined(separator: ", "))], expected [conv.weight [1, 2, \(k), \(k)]] "
                                           + "(one Conv2d(2, 1, kernelSize: \(k), padding: \(k / 2), bias: false) named conv)")
                    }
                }
                return "conv.weight [1, 2, 7, 7] (98 numbers) and [1, 2, 3, 3]"
            },
            Check("parity with PyTorch (given weights)", points: 4) {
                for k in [7, 3] {
                    let name = "attention.k\(k)"
                    let weight = try GradingFixtures.tensor("\(name).weight")
                    try Self.compare(set, k: k, x: try GradingFixtures.tensor("\(name).x"), weight: weight,
                                     gy: try GradingFixtures.tensor("\(name).gy"), y: try GradingFixtures.tensor("\(name).y"),
                                     gx: try GradingFixtures.tensor("\(name).gx"),
                                     gweight: try GradingFixtures.tensor("\(name).gweight"), source: "PyTorch")
                }
                return "k 7 on [2, 3, 9, 13], k 3 on [1, 4, 6, 5]: output, input and weight gradients"
            },
            Check("randomized sizes and weights", points: 4) {
                let seed = randomizedSeed()
                var g = SeededGenerator(seed: seed)
                for _ in 0..<5 {
                    let k = [1, 3, 5, 7][g.integer(0, 4)]
                    let shape = [g.integer(1, 3), g.integer(1, 6), g.integer(1, 13), g.integer(1, 13)]
                    let x = randomNormal(shape, &g), gy = randomNormal(shape, &g)
                    let weight = randomNormal([1, 2, k, k], &g, scale: 0.4)
                    let reference = SpatialAttention(kernelSize: k)
                    try reference.loadStateDict(["conv.weight": weight])
                    let input = Variable(x, requiresGrad: true)
                    let y = try reference(input)
                    try y.backward(gradient: gy)
                    try Self.compare(set, k: k, x: x, weight: weight, gy: gy, y: y.value, gx: input.grad!, gweight: nil,
                                     source: "UNetKit's SpatialAttention, randomized, UNETLAB_GRADER_SEED=\(seed)")
                }
                return "5 cases (seed \(seed))"
            },
        ]
    }

    /// Runs the module once on a small input so that a stub's `ExerciseNotImplemented` is what
    /// the check reports (other errors are left to the check itself).
    static func probe(_ module: Module) throws {
        do { _ = try withoutGradients { try module(Variable(Tensor(repeating: 1, shape: [1, 1, 3, 3]))) } }
        catch let stub as ExerciseNotImplemented { throw stub } catch {}
    }

    static func compare(_ set: ExerciseSet, k: Int, x: Tensor, weight: Tensor, gy: Tensor, y expected: Tensor,
                        gx: Tensor, gweight: Tensor?, source: String) throws {
        let module = set.makeSpatialAttention(k)
        try probe(module)
        do { try module.loadStateDict(["conv.weight": weight], modelName: "SpatialAttentionGate(kernelSize: \(k))") }
        catch { throw CheckFailure("cannot load PyTorch's weights: \(error) — the one parameter must be conv.weight [1, 2, \(k), \(k)]") }
        let call = "SpatialAttentionGate(kernelSize: \(k))(x \(shapeString(x.shape)))"
        let input = Variable(x, requiresGrad: true)
        let y = try module(input)
        if y.shape == [x.shape[0], 1, x.shape[2], x.shape[3]] && x.shape[1] != 1 {
            throw CheckFailure("\(call) returned shape \(shapeString(y.shape)), expected \(shapeString(x.shape)): "
                               + "return x · map, not the map")
        }
        try requireClose(y.value, expected, absolute: 1e-5, relative: 1e-4, "\(call) (\(source))")
        try y.backward(gradient: gy)
        let g = try requireGradient(input, call, hint: "build it from differentiable ops")
        try requireClose(g, gx, absolute: 1e-5, relative: 1e-4, "the input gradient of \(call) (\(source))")
        if let gweight {
            guard let w = module.namedParameters().first(where: { $0.0 == "conv.weight" })?.1.grad else {
                throw CheckFailure("\(call): conv.weight has no gradient after backward()")
            }
            try requireClose(w, gweight, absolute: 1e-5, relative: 1e-4, "the gradient of conv.weight of \(call) (\(source))")
        }
    }
}
