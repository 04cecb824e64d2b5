import Foundation
import UNetKit
import SegmentationModels
import LabExercises
import Grading

/// The instructor's hidden checks (nbgrader's hidden tests), by exercise: graded after the
/// visible checks, in the instructor's edition only (`unetlab student-edition` leaves this
/// folder out, and the student's `make grade` says its score is the visible checks'). Each is
/// worth 2 points on top of the exercise's 10. They test cases the visible checks leave out,
/// against the same references, so an answer fitted to the visible cases loses them.
public let checks: [String: @Sendable (ExerciseSet) -> [Check]] = [
    "jaccard": { set in [
        Check("hidden: a large soft mask and an empty target", points: 2) {
            var g = SeededGenerator(seed: 101)
            let a = Tensor(shape: [2, 3, 24, 40]) { _ in Float(g.nextUnit()) }
            let b = Tensor(zeros: [2, 3, 24, 40])
            let value = try set.jaccardCoeff(a, b)
            var sum = 0.0
            for x in a.scalars { sum += Double(x) }
            let expected = Float(1e-4 / (sum + 1e-4))
            guard value.isFinite, abs(value - expected) <= 1e-6 + 1e-4 * abs(expected) else {
                throw CheckFailure("jaccard(soft mask [2, 3, 24, 40], zeros) returned \(value), expected \(expected)")
            }
            return "[2, 3, 24, 40] soft mask against an empty target"
        },
    ] },
    "deconv2d": { set in [
        Check("hidden: a 1×1 input and a single row", points: 2) {
            var g = SeededGenerator(seed: 102)
            for (cin, cout, h, w) in [(2, 3, 1, 1), (1, 2, 1, 6)] {
                let input = Tensor(shape: [cin, h, w]) { _ in Float(g.normal()) }
                let weights = Tensor(shape: [cout, cin, 3, 3]) { _ in Float(g.normal()) }
                try requireClose(try set.deconv2d(input, weights), try Deconv2dExercise.reference(input, weights),
                                 absolute: 1e-4, relative: 1e-4, "deconv2d(input [\(cin), \(h), \(w)], weights [\(cout), \(cin), 3, 3])")
            }
            return "[2, 1, 1] and [1, 1, 6] inputs"
        },
    ] },
    "up_add": { set in [
        Check("hidden: batch 3, padding on one axis only", points: 2) {
            var g = SeededGenerator(seed: 103)
            for (h, w, bigH, bigW) in [(2, 3, 4, 9), (4, 2, 11, 4)] {
                manualSeed(7)
                let block = set.makeUpAdd(2, 3)
                let convs = block.namedModules().filter { $0.1 is DoubleConv }
                guard convs.count == 1 else { throw CheckFailure("expected up_add to hold one DoubleConv, found \(convs.count)") }
                let reference = DoubleConv(2, 3)
                try reference.loadStateDict(Dictionary(uniqueKeysWithValues: convs[0].1.stateDict().map { ($0.name, $0.tensor) }))
                let x1 = Variable(Tensor(shape: [3, 2, h, w]) { _ in Float(g.normal()) })
                let x2 = Variable(Tensor(shape: [3, 2, bigH, bigW]) { _ in Float(g.normal()) })
                let actual = try withoutGradients { try block(x1, x2) }
                let expected = try withoutGradients {
                    try reference(try padToSize(try upsampleBilinear(x1), height: bigH, width: bigW) + x2)
                }
                try requireClose(actual.value, expected.value, absolute: 1e-4, relative: 1e-3,
                                 "up_add(2, 3)(x1 \(shapeString(x1.shape)), x2 \(shapeString(x2.shape)))")
            }
            return "x2 [3, 2, 4, 9] and [3, 2, 11, 4]"
        },
    ] },
    "unet_shallow": { set in [
        Check("hidden: a wide, odd-sized batch", points: 2) {
            manualSeed(4)
            let model = set.makeUNetShallow(2, 3, 4)
            var g = SeededGenerator(seed: 104)
            let x = Variable(Tensor(shape: [3, 2, 12, 20]) { _ in Float(g.normal()) })
            let y = try withoutGradients { try model(x) }
            guard y.shape == [3, 3, 12, 20] else {
                throw CheckFailure("UNet_shallow(nChannels: 2, nClasses: 3, base: 4) on [3, 2, 12, 20] returned "
                                   + "\(shapeString(y.shape)), expected [3, 3, 12, 20]")
            }
            guard y.value.scalars.allSatisfy(\.isFinite) else { throw CheckFailure("UNet_shallow's logits are not all finite") }
            return "[3, 2, 12, 20] → [3, 3, 12, 20]"
        },
    ] },
]
