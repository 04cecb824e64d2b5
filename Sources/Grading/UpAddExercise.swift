import UNetKit
import SegmentationModels
import LabExercises

/// Grades `up_add` (`UpAdd`): up-sample x1 (bilinear ×2, align_corners=True), pad it to x2's
/// size, add x2, double convolution. x1 `[N, C, h, w]`, x2 `[N, C, H, W]` → `[N, out, H, W]`.
///
/// - shapes and parameters (2 points): up_add(4, 3) on x1 [2, 4, 3, 4] with x2 [2, 4, 6, 8] and
///   [2, 4, 7, 9] gives [2, 3, H, W]; it has the parameters of one double convolution 4→3;
/// - parity with PyTorch (4 points): the course's `up_add(4, 3)` with fixed weights, odd sizes,
///   training mode (batch statistics) and evaluation mode (running statistics);
/// - unequal padding and randomized sizes (4 points): first three fixed non-square cases whose
///   height and width differences differ (a swapped padding fails them every run), then three
///   random sizes and weights, new every run — each against the composition
///   `DoubleConv(padToSize(upsampleBilinear(x1), H, W) + x2)` of UNetKit's own ops, with the
///   block's own weights.
///
/// The weights are found in the block's state_dict under the course's names (`conv.conv.0.weight`,
/// …) or, failing that, in its one `DoubleConv`. Tolerance: 1e-4 + 1e-3·|expected|.
public struct UpAddExercise: ExerciseGrader {
    public init() {}
    public let exercise = "up_add"
    public let title = "Exercise up_add"
    public let file = "Labs/UpAdd.swift"
    public let function = "UpAdd.init and UpAdd.callAsFunction(_:_:)"

    public func checks(_ set: ExerciseSet) -> [Check] {
        [
            Check("shapes and parameters", points: 2) {
                let block = set.makeUpAdd(4, 3)
                var g = SeededGenerator(seed: 5)
                let x1 = Variable(randomNormal([2, 4, 3, 4], &g))
                for (h, w) in [(6, 8), (7, 9)] {
                    let y = try withoutGradients { try block(x1, Variable(randomNormal([2, 4, h, w], &g))) }
                    guard y.shape == [2, 3, h, w] else {
                        throw CheckFailure("up_add(4, 3)(x1 [2, 4, 3, 4], x2 [2, 4, \(h), \(w)]) returned shape "
                                           + "\(shapeString(y.shape)), expected [2, 3, \(h), \(w)] = [N, out, H, W]")
                    }
                }
                let expected = DoubleConv(4, 3).parameterCount
                guard block.parameterCount == expected else {
                    throw CheckFailure("up_add(4, 3) has \(block.parameterCount) parameters, expected \(expected): one "
                                       + "double convolution 4→3 (the skip is added, so the channels stay 4; "
                                       + "concatenating would need 8)")
                }
                return "[2, 3, H, W] for even and odd H, W; \(expected) parameters"
            },
            Check("parity with PyTorch (fixed weights, odd sizes)", points: 4) {
                let state = try GradingFixtures.stateDict("up_add.state.")
                let (x1, x2) = (Variable(try GradingFixtures.tensor("up_add.x1")), Variable(try GradingFixtures.tensor("up_add.x2")))
                let block = set.makeUpAdd(4, 3)
                try Self.load(state, into: block)
                let train = try withoutGradients { try block(x1, x2) }
                try requireClose(train.value, try GradingFixtures.tensor("up_add.y_train"), absolute: 1e-4, relative: 1e-3,
                                 "up_add(4, 3)(x1 [2, 4, 3, 4], x2 [2, 4, 7, 9]) in training mode, vs PyTorch")
                try Self.load(state, into: block)
                block.eval()
                let eval = try withoutGradients { try block(x1, x2) }
                try requireClose(eval.value, try GradingFixtures.tensor("up_add.y_eval"), absolute: 1e-4, relative: 1e-3,
                                 "up_add(4, 3)(x1 [2, 4, 3, 4], x2 [2, 4, 7, 9]) in evaluation mode, vs PyTorch")
                return "training and evaluation mode match the course's up_add"
            },
            Check(Self.paddingCheck, points: 4) {
                // Fixed first, every run the same: the height and width differences are unequal,
                // so padding the height difference on the width axis (as the course's own `up`
                // does) fails here, not only when the random sizes happen to differ.
                var fixed = SeededGenerator(seed: 23)
                for (h, w, bigH, bigW) in Self.unequalPaddingCases {
                    try Self.compareWithComposition(set, channels: 3, out: 2, batch: 1, x1: (h, w), x2: (bigH, bigW),
                                                    weightSeed: 29, &fixed, label: "fixed, unequal padding")
                }
                let seed = randomizedSeed()
                var g = SeededGenerator(seed: seed)
                for _ in 0..<3 {
                    let (c, out, n) = (g.integer(1, 5), g.integer(1, 5), g.integer(1, 3))
                    let (h, w) = (g.integer(2, 5), g.integer(2, 5))
                    let (bigH, bigW) = (2 * h + g.integer(0, 2), 2 * w + g.integer(0, 2))
                    try Self.compareWithComposition(set, channels: c, out: out, batch: n, x1: (h, w), x2: (bigH, bigW),
                                                    weightSeed: seed &+ UInt64(c * 10 + out), &g,
                                                    label: "randomized, UNETLAB_GRADER_SEED=\(seed)")
                }
                return "\(Self.unequalPaddingCases.count) fixed non-square cases with unequal padding, 3 randomized (seed \(seed))"
            },
        ]
    }

    public static let paddingCheck = "unequal padding (fixed) and randomized sizes"

    /// x1 (h, w) → x2 (H, W) with H − 2h ≠ W − 2w: (1, 0), (0, 3), (3, 1).
    public static let unequalPaddingCases = [(3, 5, 7, 10), (3, 5, 6, 13), (4, 3, 11, 7)]

    /// up_add(channels, out) on x1 `[batch, channels, h, w]`, x2 `[batch, channels, H, W]` against
    /// `DoubleConv(padToSize(upsampleBilinear(x1), H, W) + x2)` with the block's own weights.
    static func compareWithComposition(_ set: ExerciseSet, channels c: Int, out: Int, batch n: Int, x1 small: (Int, Int),
                                       x2 big: (Int, Int), weightSeed: UInt64, _ g: inout SeededGenerator,
                                       label: String) throws {
        manualSeed(weightSeed)
        let block = set.makeUpAdd(c, out)
        let reference = DoubleConv(c, out)
        try reference.loadStateDict(try Self.doubleConvState(of: block))
        let x1 = Variable(randomNormal([n, c, small.0, small.1], &g)), x2 = Variable(randomNormal([n, c, big.0, big.1], &g))
        let call = "up_add(\(c), \(out))(x1 \(shapeString(x1.shape)), x2 \(shapeString(x2.shape)))"
        let actual: Variable
        do { actual = try withoutGradients { try block(x1, x2) } } catch let error as ExerciseNotImplemented { throw error }
        catch { throw CheckFailure("\(call) threw: \(error) — pad the height difference on the height axis and the width difference on the width axis (\(label))") }
        let expected = try withoutGradients {
            try reference(try padToSize(try upsampleBilinear(x1), height: big.0, width: big.1) + x2)
        }
        try requireClose(actual.value, expected.value, absolute: 1e-4, relative: 1e-3,
                         "\(call) vs double_conv(pad(upsample(x1)) + x2) (\(label))")
    }

    /// The block's double convolution's state_dict (keys `conv.0.weight`, …, as `DoubleConv`'s).
    static func doubleConvState(of block: Module) throws -> [String: Tensor] {
        let convs = block.namedModules().filter { $0.1 is DoubleConv }
        if convs.count == 1 { return Dictionary(uniqueKeysWithValues: convs[0].1.stateDict().map { ($0.name, $0.tensor) }) }
        let names = block.stateDict().map(\.name)
        throw CheckFailure("expected up_add to hold one DoubleConv (the course's `conv`), found \(convs.count); "
                           + "its state_dict has \(names.isEmpty ? "no tensors" : names.prefix(6).joined(separator: ", "))")
    }

    /// Loads the course's up_add state_dict (`conv.conv.0.weight`, …) into the block: by name,
    /// or into its one DoubleConv when the names differ.
    static func load(_ state: [String: Tensor], into block: Module) throws {
        do {
            try block.loadStateDict(state, modelName: "up_add")
        } catch let byName {
            let convs = block.namedModules().filter { $0.1 is DoubleConv }
            guard convs.count == 1 else {
                throw CheckFailure("cannot load the course's up_add weights: \(byName) — name the layers `up` and "
                                   + "`conv` (a DoubleConv) as the course does")
            }
            let stripped = Dictionary(uniqueKeysWithValues: state.compactMap { key, t in
                key.hasPrefix("conv.") ? (String(key.dropFirst(5)), t) : nil })
            try convs[0].1.loadStateDict(stripped, modelName: "up_add's double convolution")
        }
    }
}
