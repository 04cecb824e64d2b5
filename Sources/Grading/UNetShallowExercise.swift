import UNetKit
import SegmentationModels
import LabExercises

/// Grades question 6, `UNet_shallow` (`UNetShallow`): a UNet with two down-samplings.
///
/// - shapes (2 points): (1 channel, 2 classes, base 4) on [2, 1, 16, 16] → [2, 2, 16, 16];
///   (3 channels, 4 classes, base 4) on [1, 3, 8, 12] → [1, 4, 8, 12];
/// - depth (2 points): exactly two down-samplings — the forward pass (seen through the model
///   summary) runs two `MaxPool2d`s and its smallest feature map is H/4 × W/4;
/// - it learns (2 points): base 8, a fixed batch of two 16×16 images whose label is
///   "pixel > 0.3", the course's loss (sigmoid, BCE), 10 SGD steps (lr 0.1, momentum 0.9):
///   the loss must fall below 80 % of the first step's;
/// - the course's widths (4 points): with base 64, 1 channel, 2 classes and 851,266 parameters
///   (the course's answer), the evaluation-mode logits with the formula weights must match
///   PyTorch's (`shallow.full.*` in models.safetensors, 1e-4 + 1e-3·|x|). Other widths are
///   valid answers too: then this check passes when the three above did (graded by behaviour).
public struct UNetShallowExercise: ExerciseGrader {
    public init() {}
    public let exercise = "unet_shallow"
    public let title = "Question 6: UNet_shallow"
    public let file = "Labs/UNetShallow.swift"
    public let function = "UNetShallow.init and UNetShallow.forward(_:)"

    public static let courseParameters = 851_266

    public func checks(_ set: ExerciseSet) -> [Check] {
        var behaviourPassed = 0
        return [
            Check("output shape [N, classes, H, W]", points: 2) {
                var g = SeededGenerator(seed: 11)
                for (c, k, input) in [(1, 2, [2, 1, 16, 16]), (3, 4, [1, 3, 8, 12])] {
                    manualSeed(1)
                    let model = set.makeUNetShallow(c, k, 4)
                    let y = try withoutGradients { try model(Variable(randomNormal(input, &g))) }
                    let expected = [input[0], k, input[2], input[3]]
                    guard y.shape == expected else {
                        throw CheckFailure("UNet_shallow(nChannels: \(c), nClasses: \(k), base: 4) on input \(shapeString(input)) "
                                           + "returned \(shapeString(y.shape)), expected \(shapeString(expected))")
                    }
                }
                behaviourPassed += 1
                return "[2, 2, 16, 16] and [1, 4, 8, 12]"
            },
            Check("exactly two down-samplings", points: 2) {
                manualSeed(1)
                let summary = try modelSummary(set.makeUNetShallow(1, 2, 4), input: [1, 1, 16, 16])
                let pools = summary.rows.filter { $0.layer.hasPrefix("MaxPool2d-") }.count
                let smallest = summary.rows.filter { $0.outputShape.count == 4 }
                    .map { min($0.outputShape[2], $0.outputShape[3]) }.min() ?? 16
                guard pools == 2, smallest == 4 else {
                    throw CheckFailure("UNet_shallow must halve the image exactly twice: on a 16×16 input its forward "
                                       + "pass ran \(pools) MaxPool2d layer\(pools == 1 ? "" : "s") and its smallest "
                                       + "feature map is \(smallest)×\(smallest); expected 2 and 4×4 (inc, down1, down2, up1, up2, outc)")
                }
                behaviourPassed += 1
                return "2 MaxPool2d, smallest feature map H/4 × W/4"
            },
            Check("it learns (BCE falls over 10 SGD steps)", points: 2) {
                manualSeed(3)
                let model = set.makeUNetShallow(1, 2, 8)
                var g = SeededGenerator(seed: 17)
                let x = randomNormal([2, 1, 16, 16], &g)
                let target = Tensor(shape: [2, 2, 16, 16]) { i in
                    let fg: Float = x[i[0], 0, i[2], i[3]] > 0.3 ? 1 : 0
                    return i[1] == 1 ? fg : 1 - fg
                }
                guard model.parameterCount > 0 else { throw CheckFailure("UNet_shallow has no parameters to train") }
                let sgd = SGD(model.parameters(), lr: 0.1, momentum: 0.9)
                var losses: [Float] = []
                for _ in 0..<10 {
                    losses.append(try optimizationStep(sgd) {
                        (try binaryCrossEntropy(try model(Variable(x)).sigmoid().flattened(), target.flattened()), ())
                    }.loss)
                }
                let (first, last) = (losses[0], losses[losses.count - 1])
                guard last.isFinite, last < 0.8 * first else {
                    throw CheckFailure("the BCE loss went from \(first) to \(last) in 10 SGD steps (lr 0.1, momentum 0.9) "
                                       + "on a fixed batch; expected below \(0.8 * first) — are all layers used in forward?")
                }
                behaviourPassed += 1
                return String(format: "loss %.4f → %.4f", first, last)
            },
            Check("the course's widths: parity with PyTorch", points: 4) {
                let model = set.makeUNetShallow(1, 2, 64)
                let count = model.parameterCount
                guard count == Self.courseParameters else {
                    guard behaviourPassed == 3 else {
                        throw CheckFailure("\(count.formattedWithCommas) parameters at base 64 (the course's answer has "
                                           + "\(Self.courseParameters.formattedWithCommas)); other widths are graded by "
                                           + "behaviour — fix the checks above first")
                    }
                    return "other widths (\(count.formattedWithCommas) parameters, the course's answer has "
                        + "\(Self.courseParameters.formattedWithCommas)): graded by behaviour"
                }
                try model.loadStateDict(formulaStateDict(model))
                model.eval()
                let x = Variable(try GradingFixtures.tensor("shallow.full.x"))
                let logits = try withoutGradients { try model(x) }
                try requireClose(logits.value, try GradingFixtures.tensor("shallow.full.logits_eval"),
                                 absolute: 1e-4, relative: 1e-3,
                                 "UNet_shallow (base 64, formula weights, evaluation mode) logits on a 64×64 image vs PyTorch")
                return "851,266 parameters; logits match the course's UNet_shallow"
            },
        ]
    }
}
