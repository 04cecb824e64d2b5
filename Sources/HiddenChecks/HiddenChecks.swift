import Foundation
import UNetKit
import SegmentationModels
import LabExercises
import Grading
import SyntheticData

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
    "focal_loss": { set in [
        Check("hidden: a wide batch of soft targets, γ = 0.5", points: 2) {
            var g = SeededGenerator(seed: 105)
            let shape = [3, 2, 9, 11]
            let logits = Tensor(shape: shape) { _ in Float(8 * g.normal()) }
            let target = Tensor(shape: shape) { _ in Float(g.nextUnit()) }
            let actual = try set.focalLoss(Variable(logits), target, 0.4, 0.5).value
            let expected = try sigmoidFocalLoss(Variable(logits), target, alpha: 0.4, gamma: 0.5).value
            try requireClose(actual.reshaped([1]), expected.reshaped([1]), absolute: 1e-6, relative: 1e-4,
                             "focalLoss(logits [3, 2, 9, 11] ~ N(0, 8²), soft targets, α 0.4, γ 0.5)")
            return "[3, 2, 9, 11], α 0.4, γ 0.5"
        },
    ] },
    "drop_block": { set in [
        Check("hidden: block 5 on a 7×12 map, several seeds", points: 2) {
            var g = SeededGenerator(seed: 106)
            let (h, w, bs) = (7, 12, 5)
            let x = Tensor(shape: [2, 3, h, w]) { _ in Float(g.normal()) }
            let seeds = Tensor(shape: [2, 3, h - bs + 1, w - bs + 1]) { _ in g.nextUnit() < 0.15 ? 1 : 0 }
            let actual = try set.dropBlock(Variable(x), seeds, bs).value
            let expected = try dropBlock2d(Variable(x), seedMask: seeds, blockSize: bs).value
            try requireClose(actual, expected, absolute: 1e-5, relative: 1e-5, "dropBlock(x [2, 3, 7, 12], seeds, block 5)")
            let gamma = set.dropBlockGamma(0.3, bs, h, w)
            let expectedGamma = dropBlockGamma(p: 0.3, blockSize: bs, height: h, width: w)
            guard gamma.isFinite, abs(gamma - expectedGamma) <= 1e-9 + 1e-6 * expectedGamma else {
                throw CheckFailure("dropBlockGamma(p 0.3, bs 5, 7×12) returned \(gamma), expected \(expectedGamma)")
            }
            return "[2, 3, 7, 12], block 5, and its γ"
        },
    ] },
    "spatial_attention": { set in [
        Check("hidden: kernel 5 on a one-channel, one-row map", points: 2) {
            var g = SeededGenerator(seed: 107)
            let weight = Tensor(shape: [1, 2, 5, 5]) { _ in Float(g.normal()) }
            let x = Tensor(shape: [2, 1, 1, 9]) { _ in Float(g.normal()) }
            let theirs = set.makeSpatialAttention(5)
            try theirs.loadStateDict(["conv.weight": weight])
            let reference = SpatialAttention(kernelSize: 5)
            try reference.loadStateDict(["conv.weight": weight])
            try requireClose(try theirs(Variable(x)).value, try reference(Variable(x)).value, absolute: 1e-5, relative: 1e-4,
                             "SpatialAttentionGate(kernelSize: 5) on [2, 1, 1, 9]")
            return "k 5 on [2, 1, 1, 9]"
        },
    ] },
    "sliding_window": { set in [
        Check("hidden: overlap 0.75 on a 1×23 strip and a 3×3 image", points: 2) {
            var g = SeededGenerator(seed: 108)
            // A model whose output depends on where the window lies: each pixel times the window's mean.
            let model: (Tensor) throws -> Tensor = { patches in
                let size = patches.count / patches.shape[0]
                let x = patches.scalars
                var out = [Float](repeating: 0, count: x.count)
                for start in stride(from: 0, to: x.count, by: size) {
                    let mean = x[start..<(start + size)].reduce(0, +) / Float(size)
                    for k in start..<(start + size) { out[k] = x[k] * mean }
                }
                return try Tensor(shape: patches.shape, scalars: out)
            }
            for (h, w, patch) in [(1, 23, 4), (3, 3, 5)] {
                let images = Tensor(shape: [2, 1, h, w]) { _ in Float(g.nextUnit()) }
                let actual = try set.slidingWindowPredict(images, patch, 0.75, model)
                let expected = try SlidingWindow(patchSize: patch, overlap: 0.75).predict(images, model)
                try requireClose(actual, expected, absolute: 1e-5, relative: 1e-4,
                                 "slidingWindowPredict([2, 1, \(h), \(w)], patch \(patch), overlap 0.75)")
            }
            return "[2, 1, 1, 23] with patch 4 and [2, 1, 3, 3] with patch 5, overlap 0.75"
        },
    ] },
    "roc_auc": { set in [
        Check("hidden: 5,000 scores on four levels", points: 2) {
            var g = SeededGenerator(seed: 109)
            let labels = (0..<5000).map { _ in g.nextUnit() < 0.1 }
            let scores = labels.map { positive -> Float in
                Float((Int(g.nextUnit() * 3) + (positive ? 1 : 0))) / 4 }
            let actual = try set.rocAUC(scores, labels)
            let expected = try rocAUCScore(scores: scores, labels: labels)
            guard actual.isFinite, abs(actual - expected) <= 1e-9 else {
                throw CheckFailure("rocAUC(5,000 scores on 4 levels, 10 % positives) returned \(actual), expected \(expected)")
            }
            return "5,000 heavily tied scores"
        },
    ] },
]
