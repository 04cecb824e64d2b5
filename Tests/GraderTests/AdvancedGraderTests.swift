import XCTest
import Foundation
import Grading
import UNetKit
import SegmentationModels
import LabExercises
import Labs
import Solutions

/// The advanced lab's five graders are not vacuous: plausible wrong answers lose points in the
/// check meant to catch them (deterministically: in the checks on fixed cases), and valid other
/// answers get full marks. (Full marks for Solutions and zero for the stubs: `GraderTests`.)
final class AdvancedGraderTests: XCTestCase {
    private func check(_ result: GradeResult, named name: String) -> CheckResult? {
        result.checks.first { $0.name == name }
    }

    private func assertFails(_ result: GradeResult, _ names: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.isFullMarks, result.details, file: file, line: line)
        for name in names {
            XCTAssertNotNil(check(result, named: name), "no check \(name)", file: file, line: line)
            XCTAssertEqual(check(result, named: name)?.passed, false, "\(name) should fail:\n\(result.details)", file: file, line: line)
        }
        XCTAssertTrue(result.message.contains(result.file), "the message names the file: \(result.message)", file: file, line: line)
    }

    private func assertPasses(_ result: GradeResult, _ names: [String], file: StaticString = #filePath, line: UInt = #line) {
        for name in names {
            XCTAssertEqual(check(result, named: name)?.passed, true, "\(name) should pass:\n\(result.details)", file: file, line: line)
        }
    }

    // MARK: - focalLoss

    /// A focal loss built from a per-element loss ℓ(x, t, α, γ) in Double: the mean, and its
    /// gradient by central differences (good to ~1e-9, far below the graders' tolerance).
    private func elementwise(_ loss: @escaping @Sendable (Double, Double, Double, Double) -> Double)
        -> @Sendable (Variable, Tensor, Float, Float) throws -> Variable {
        { logits, target, alpha, gamma in
            let (x, t, n) = (logits.value.scalars, target.scalars, Double(logits.value.count))
            let (a, g) = (Double(alpha), Double(gamma))
            var total = 0.0
            var gradient = [Float](repeating: 0, count: x.count)
            for i in 0..<x.count {
                let (xi, ti) = (Double(x[i]), Double(t[i]))
                total += loss(xi, ti, a, g)
                let h = 1e-5 * max(1, abs(xi))
                gradient[i] = Float((loss(xi + h, ti, a, g) - loss(xi - h, ti, a, g)) / (2 * h) / n)
            }
            let shape = logits.shape
            return Variable(try Tensor(shape: [], scalars: [Float(total / n)]), parents: [logits]) { dy in
                [try Tensor(shape: shape, scalars: gradient.map { $0 * dy.scalars[0] })]
            }
        }
    }

    private static func softplus(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }
    private static func sigmoid(_ x: Double) -> Double { x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }

    /// The stable focal loss of one element, with the α weight and the modulating factor given.
    private static func focal(_ x: Double, _ t: Double, alphaT: Double, modulating: (Double) -> Double) -> Double {
        let ce = softplus(x) - t * x
        let oneMinusPt = sigmoid(x) * (1 - t) + sigmoid(-x) * t
        return alphaT * modulating(oneMinusPt) * ce
    }

    private func focalSet(_ f: @escaping @Sendable (Variable, Tensor, Float, Float) throws -> Variable) -> ExerciseSet {
        var set = Solutions.exercises
        set.focalLoss = f
        return set
    }

    func testFocalLossWithAlphaOnTheNegativesFails() {
        let set = focalSet(elementwise { x, t, a, g in
            Self.focal(x, t, alphaT: a < 0 ? 1 : a * (1 - t) + (1 - a) * t, modulating: { pow($0, g) }) })
        assertFails(FocalLossExercise().grade(set), ["torchvision's values", "gradients against torchvision",
                                                     "logits of ±100: finite, as torchvision"])
    }

    func testFocalLossWithGammaAsAMultiplierFails() {
        // Seed 001's bug: (1 − p_t) * γ instead of (1 − p_t) ** γ.
        let set = focalSet(elementwise { x, t, a, g in
            Self.focal(x, t, alphaT: a < 0 ? 1 : a * t + (1 - a) * (1 - t), modulating: { $0 * g }) })
        assertFails(FocalLossExercise().grade(set), ["torchvision's values", "gradients against torchvision",
                                                     "logits of ±100: finite, as torchvision"])
    }

    func testFocalLossWithoutAlphaFails() {
        let set = focalSet(elementwise { x, t, _, g in Self.focal(x, t, alphaT: 1, modulating: { pow($0, g) }) })
        assertFails(FocalLossExercise().grade(set), ["torchvision's values", "gradients against torchvision",
                                                     "logits of ±100: finite, as torchvision"])
    }

    func testFocalLossFromRoundedProbabilitiesFailsAtHundred() {
        // log of σ(x) computed in Float: σ(100) = 1, log(1 − 1) = −inf.
        let set = focalSet(elementwise { x, t, a, g in
            let p = Float(1) / (1 + Float.exp(Float(-x)))
            let ce = -(t * Double(Float.log(p)) + (1 - t) * Double(Float.log(1 - p)))
            let oneMinusPt = Double(p) * (1 - t) + (1 - Double(p)) * t
            return (a < 0 ? 1 : a * t + (1 - a) * (1 - t)) * pow(oneMinusPt, g) * ce
        })
        let result = FocalLossExercise().grade(set)
        assertFails(result, ["logits of ±100: finite, as torchvision"])
        assertPasses(result, ["torchvision's values"])
        XCTAssertTrue(check(result, named: "logits of ±100: finite, as torchvision")?.message.contains("softplus") ?? false,
                      result.details)
    }

    func testFocalLossWithClippedProbabilitiesFailsAtHundred() {
        // Seed 001's fix: clip p to [1e-7, 1 − 1e-7] — finite, but the loss of a confident mistake is capped.
        let set = focalSet(elementwise { x, t, a, g in
            let p = min(max(Self.sigmoid(x), 1e-7), 1 - 1e-7)
            let ce = -(t * log(p) + (1 - t) * log(1 - p))
            let oneMinusPt = p * (1 - t) + (1 - p) * t
            return (a < 0 ? 1 : a * t + (1 - a) * (1 - t)) * pow(oneMinusPt, g) * ce
        })
        let result = FocalLossExercise().grade(set)
        assertFails(result, ["logits of ±100: finite, as torchvision"])
        assertPasses(result, ["torchvision's values"])
    }

    func testFocalLossWithoutAGradientFails() {
        let set = focalSet { logits, target, alpha, gamma in
            Variable(try Solutions.focalLoss(logits, target, alpha: alpha, gamma: gamma).value)
        }
        let result = FocalLossExercise().grade(set)
        assertFails(result, ["gradients against torchvision"])
        assertPasses(result, ["torchvision's values"])
        XCTAssertTrue(result.details.contains("no gradient reached"), result.details)
    }

    func testOtherValidFocalLossesGetFullMarks() {
        // UNetKit's own (Float arithmetic, its own gradient) and the element-wise formula in Double.
        let library = focalSet { try sigmoidFocalLoss($0, $1, alpha: $2, gamma: $3) }
        XCTAssertTrue(FocalLossExercise().grade(library).isFullMarks, FocalLossExercise().grade(library).details)
        let byDifferences = focalSet(elementwise { x, t, a, g in
            Self.focal(x, t, alphaT: a < 0 ? 1 : a * t + (1 - a) * (1 - t), modulating: { g == 0 ? 1 : pow($0, g) }) })
        let result = FocalLossExercise().grade(byDifferences)
        XCTAssertTrue(result.isFullMarks, result.details)
    }

    // MARK: - dropBlock

    /// DropBlock from its keep mask: `keep(seeds, bs, n, c, h, w)` → keep [N·C·H·W], then `scale(keep, plane size)` → a
    /// scale per element.
    private func dropBlockSet(keep: @escaping @Sendable ([Float], Int, Int, Int, Int) -> [Float],
                              scale: @escaping @Sendable ([Float], Int) -> [Float],
                              gamma: (@Sendable (Double, Int, Int, Int) -> Double)? = nil) -> ExerciseSet {
        var set = Solutions.exercises
        set.dropBlock = { input, seeds, bs in
            let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
            let k = keep(seeds.scalars, bs, n * c, h, w)
            let s = scale(k, h * w)
            let factor = zip(k, s).map { $0 * $1 }
            return Variable(try Tensor(shape: input.shape, scalars: zip(input.value.scalars, factor).map { $0 * $1 }),
                            parents: [input]) { dy in [try Tensor(shape: dy.shape, scalars: zip(dy.scalars, factor).map { $0 * $1 })] }
        }
        if let gamma { set.dropBlockGamma = gamma }
        return set
    }

    /// The block of the seed at (a, b) covers rows a + dy, columns b + dx for dy, dx in `offsets`.
    private static func keepMask(offsets: ClosedRange<Int>) -> @Sendable ([Float], Int, Int, Int, Int) -> [Float] {
        { seeds, bs, planes, h, w in
            let (sh, sw) = (h - bs + 1, w - bs + 1)
            var keep = [Float](repeating: 1, count: planes * h * w)
            for p in 0..<planes { for a in 0..<sh { for b in 0..<sw where seeds[(p * sh + a) * sw + b] != 0 {
                for dy in offsets { for dx in offsets {
                    let (i, j) = (a + dy, b + dx)
                    if i >= 0, i < h, j >= 0, j < w { keep[(p * h + i) * w + j] = 0 }
                } }
            } } }
            return keep
        }
    }
    private static let rightBlocks: @Sendable ([Float], Int, Int, Int, Int) -> [Float] = { seeds, bs, planes, h, w in
        keepMask(offsets: 0...(bs - 1))(seeds, bs, planes, h, w)
    }
    private static let wholeBatchScale: @Sendable ([Float], Int) -> [Float] = { keep, _ in
        let s = Float(Double(keep.count) / (1e-6 + keep.reduce(0.0) { $0 + Double($1) }))
        return [Float](repeating: s, count: keep.count)
    }

    func testDropBlockWithoutTheRescaleFails() {
        let set = dropBlockSet(keep: Self.rightBlocks, scale: { keep, _ in [Float](repeating: 1, count: keep.count) })
        let result = DropBlockExercise().grade(set)
        assertFails(result, ["blocks and rescaling against torchvision (given seeds)", "randomized sizes and seeds"])
        assertPasses(result, ["γ = p/bs² · H·W/((H − bs + 1)(W − bs + 1))"])
    }

    func testDropBlockRescaledPerChannelFails() {
        // numel/Σ keep of each channel plane instead of one scale for the whole batch.
        let set = dropBlockSet(keep: Self.rightBlocks, scale: { keep, planeSize in
            stride(from: 0, to: keep.count, by: planeSize).flatMap { start -> [Float] in
                let plane = keep[start..<(start + planeSize)]
                let s = Float(Double(planeSize) / (1e-6 + plane.reduce(0.0) { $0 + Double($1) }))
                return [Float](repeating: s, count: planeSize)
            }
        })
        assertFails(DropBlockExercise().grade(set), ["blocks and rescaling against torchvision (given seeds)"])
    }

    func testDropBlockGammaWithoutTheBorderFactorFails() {
        let set = dropBlockSet(keep: Self.rightBlocks, scale: Self.wholeBatchScale,
                               gamma: { p, bs, _, _ in p / Double(bs * bs) })
        let result = DropBlockExercise().grade(set)
        assertFails(result, ["γ = p/bs² · H·W/((H − bs + 1)(W − bs + 1))"])
        assertPasses(result, ["blocks and rescaling against torchvision (given seeds)", "randomized sizes and seeds"])
    }

    func testDropBlockWithoutTheMaxPoolFails() {
        // Only the seed pixel (the block's centre) is dropped: no bs × bs block.
        let set = dropBlockSet(keep: { seeds, bs, planes, h, w in
            Self.keepMask(offsets: (bs / 2)...(bs / 2))(seeds, bs, planes, h, w) }, scale: Self.wholeBatchScale)
        let result = DropBlockExercise().grade(set)
        assertFails(result, ["blocks and rescaling against torchvision (given seeds)", "randomized sizes and seeds"])
    }

    func testDropBlockAnchoredAtTheSeedsCornerFails() {
        // The block centred on the seed's position in the small mask (forgetting the bs/2 padding).
        let set = dropBlockSet(keep: { seeds, bs, planes, h, w in
            Self.keepMask(offsets: (-(bs / 2))...(bs / 2))(seeds, bs, planes, h, w) }, scale: Self.wholeBatchScale)
        assertFails(DropBlockExercise().grade(set), ["blocks and rescaling against torchvision (given seeds)"])
    }

    func testOtherValidDropBlocksGetFullMarks() {
        // UNetKit's own, and the max-pool formulation: a pixel is dropped when a seed lies in the
        // bs × bs window of the padded seed mask around it.
        var library = Solutions.exercises
        library.dropBlock = { try dropBlock2d($0, seedMask: $1, blockSize: $2) }
        library.dropBlockGamma = { dropBlockGamma(p: $0, blockSize: $1, height: $2, width: $3) }
        XCTAssertTrue(DropBlockExercise().grade(library).isFullMarks, DropBlockExercise().grade(library).details)
        let maxPool = dropBlockSet(keep: { seeds, bs, planes, h, w in
            let (sh, sw, r) = (h - bs + 1, w - bs + 1, bs / 2)
            func seed(_ p: Int, _ i: Int, _ j: Int) -> Float {   // the seed mask padded by bs/2
                let (a, b) = (i - r, j - r)
                return a >= 0 && a < sh && b >= 0 && b < sw ? seeds[(p * sh + a) * sw + b] : 0
            }
            var keep = [Float](repeating: 1, count: planes * h * w)
            for p in 0..<planes { for i in 0..<h { for j in 0..<w {
                var m: Float = 0
                for u in (i - r)...(i + r) { for v in (j - r)...(j + r) { m = max(m, seed(p, u, v)) } }
                keep[(p * h + i) * w + j] = 1 - m
            } } }
            return keep
        }, scale: Self.wholeBatchScale)
        let result = DropBlockExercise().grade(maxPool)
        XCTAssertTrue(result.isFullMarks, result.details)
    }

    func testExpectedDropRateIsExact() {
        // bs 1: every pixel is its own seed position, so the rate is γ = p.
        XCTAssertEqual(DropBlockExercise.expectedDropRate(gamma: 0.3, blockSize: 1, height: 5, width: 7), 0.3, accuracy: 1e-12)
        // A 3 × 3 map with bs 3: one seed position covers every pixel.
        XCTAssertEqual(DropBlockExercise.expectedDropRate(gamma: 0.2, blockSize: 3, height: 3, width: 3), 0.2, accuracy: 1e-12)
        // 3 × 4 with bs 3: two seed positions; the outer columns are covered by one (dropped with
        // probability 0.5), the middle ones by both (1 − 0.5² = 0.75): mean 0.625.
        XCTAssertEqual(DropBlockExercise.expectedDropRate(gamma: 0.5, blockSize: 3, height: 3, width: 4), 0.625, accuracy: 1e-12)
    }

    // MARK: - SpatialAttention

    /// A spatial attention with `conv` and a forward built from it.
    final class Attention: Module {
        let conv: Conv2d
        let body: (Conv2d, Variable) throws -> Variable
        init(_ k: Int, bias: Bool = false, _ body: @escaping (Conv2d, Variable) throws -> Variable) {
            conv = Conv2d(2, 1, kernelSize: k, padding: k / 2, bias: bias)
            self.body = body
        }
        override func forward(_ input: Variable) throws -> Variable { try body(conv, input) }
    }

    private func attentionSet(bias: Bool = false, _ body: @escaping @Sendable (Conv2d, Variable) throws -> Variable) -> ExerciseSet {
        var set = Solutions.exercises
        set.makeSpatialAttention = { Attention($0, bias: bias, body) }
        return set
    }

    func testAttentionWithMaxBeforeMeanFails() {
        let set = attentionSet { conv, x in try x * conv(try concatChannels([maxOverChannels(x), meanOverChannels(x)])).sigmoid() }
        let result = SpatialAttentionExercise().grade(set)
        assertFails(result, ["parity with PyTorch (given weights)", "randomized sizes and weights"])
        assertPasses(result, ["one parameter conv.weight [1, 2, k, k]"])
    }

    func testAttentionWithABiasFails() {
        let set = attentionSet(bias: true) { conv, x in
            try x * conv(try concatChannels([meanOverChannels(x), maxOverChannels(x)])).sigmoid() }
        let result = SpatialAttentionExercise().grade(set)
        assertFails(result, ["one parameter conv.weight [1, 2, k, k]", "parity with PyTorch (given weights)"])
        XCTAssertTrue(result.details.contains("conv.bias"), result.details)
    }

    func testAttentionWithoutTheSigmoidFails() {
        let set = attentionSet { conv, x in try x * conv(try concatChannels([meanOverChannels(x), maxOverChannels(x)])) }
        assertFails(SpatialAttentionExercise().grade(set), ["parity with PyTorch (given weights)", "randomized sizes and weights"])
    }

    func testAttentionReturningTheMapFails() {
        let set = attentionSet { conv, x in try conv(try concatChannels([meanOverChannels(x), maxOverChannels(x)])).sigmoid() }
        let result = SpatialAttentionExercise().grade(set)
        assertFails(result, ["parity with PyTorch (given weights)"])
        XCTAssertTrue(result.details.contains("return x · map, not the map"), result.details)
    }

    func testOtherValidAttentionsGetFullMarks() {
        var library = Solutions.exercises
        library.makeSpatialAttention = { SpatialAttention(kernelSize: $0) }
        XCTAssertTrue(SpatialAttentionExercise().grade(library).isFullMarks, SpatialAttentionExercise().grade(library).details)
        // The map first, multiplied from the left.
        let commuted = attentionSet { conv, x in
            let map = try conv(try concatChannels([meanOverChannels(x), maxOverChannels(x)])).sigmoid()
            return try map * x
        }
        let result = SpatialAttentionExercise().grade(commuted)
        XCTAssertTrue(result.isFullMarks, result.details)
    }

    // MARK: - slidingWindowPredict

    enum Stitching { case average, lastWriteWins, lastWindowNotMoved, stepIsPatch }

    /// Sliding windows with a choice of mistakes; the padding of small images after the image
    /// (not centred) when `padAtEnd`, and all windows of the batch in one model call when `oneCall`.
    private static func windows(_ images: Tensor, _ p: Int, _ overlap: Double, _ model: (Tensor) throws -> Tensor,
                                _ stitching: Stitching, padAtEnd: Bool = false, oneCall: Bool = false) throws -> Tensor {
        let (b, c, h, w) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        let (bigH, bigW) = (max(h, p), max(w, p))
        let (top, left) = padAtEnd ? (0, 0) : ((bigH - h) / 2, (bigW - w) / 2)
        func starts(_ size: Int) -> [Int] {
            let step = stitching == .stepIsPatch || size == p ? p : max(1, Int(Double(p) * (1 - overlap)))
            if stitching == .lastWindowNotMoved { return Array(stride(from: 0, through: size - p, by: step)) }
            return Array(stride(from: 0, to: size - p, by: step)) + [size - p]
        }
        let places = starts(bigH).flatMap { y in starts(bigW).map { (y, $0) } }
        let list = (0..<b).flatMap { n in places.map { (n, $0.0, $0.1) } }
        func window(_ n: Int, _ y0: Int, _ x0: Int, _ i: [Int]) -> Float {
            let (y, x) = (y0 + i[2] - top, x0 + i[3] - left)
            return y >= 0 && y < h && x >= 0 && x < w ? images[n, i[1], y, x] : 0
        }
        var outputs: [Tensor] = []
        if oneCall {
            let all = try model(Tensor(shape: [list.count, c, p, p]) { i in window(list[i[0]].0, list[i[0]].1, list[i[0]].2, i) })
            outputs = (0..<list.count).map { k in Tensor(shape: [1, all.shape[1], p, p]) { i in all[k, i[1], i[2], i[3]] } }
        } else {
            outputs = try list.map { n, y0, x0 in try model(Tensor(shape: [1, c, p, p]) { i in window(n, y0, x0, i) }) }
        }
        let k = outputs[0].shape[1]
        var sum = [Double](repeating: 0, count: b * k * bigH * bigW), count = sum
        for ((n, y0, x0), out) in zip(list, outputs) {
            for ch in 0..<k { for i in 0..<p { for j in 0..<p {
                let at = ((n * k + ch) * bigH + y0 + i) * bigW + x0 + j
                if stitching == .lastWriteWins { sum[at] = Double(out[0, ch, i, j]); count[at] = 1 } else {
                    sum[at] += Double(out[0, ch, i, j]); count[at] += 1
                }
            } } }
        }
        return Tensor(shape: [b, k, h, w]) { i in
            let at = ((i[0] * k + i[1]) * bigH + i[2] + top) * bigW + i[3] + left
            return count[at] == 0 ? 0 : Float(sum[at] / count[at])
        }
    }

    private func windowSet(_ stitching: Stitching, padAtEnd: Bool = false, oneCall: Bool = false) -> ExerciseSet {
        var set = Solutions.exercises
        set.slidingWindowPredict = { try Self.windows($0, $1, $2, $3, stitching, padAtEnd: padAtEnd, oneCall: oneCall) }
        return set
    }

    func testSlidingWindowWhereTheLastWriteWinsFails() {
        let result = SlidingWindowExercise().grade(windowSet(.lastWriteWins))
        assertFails(result, ["against the reference (odd, non-square sizes)"])
        assertPasses(result, ["an identity model gives the image back"])
    }

    func testSlidingWindowWithoutMovingTheLastWindowFails() {
        let result = SlidingWindowExercise().grade(windowSet(.lastWindowNotMoved))
        assertFails(result, ["an identity model gives the image back", "against the reference (odd, non-square sizes)"])
    }

    func testSlidingWindowWithStepEqualToThePatchFails() {
        let result = SlidingWindowExercise().grade(windowSet(.stepIsPatch))
        assertFails(result, ["against the reference (odd, non-square sizes)"])
        assertPasses(result, ["an identity model gives the image back"])
    }

    func testOtherValidSlidingWindowsGetFullMarks() {
        // Padding small images after them instead of around them, and one model call for all windows.
        let result = SlidingWindowExercise().grade(windowSet(.average, padAtEnd: true, oneCall: true))
        XCTAssertTrue(result.isFullMarks, result.details)
        XCTAssertTrue(SlidingWindowExercise().grade(windowSet(.average)).isFullMarks)
    }

    // MARK: - rocAUC

    private func rocSet(_ auc: @escaping @Sendable ([Float], [Bool]) throws -> Double) -> ExerciseSet {
        var set = Solutions.exercises
        set.rocAUC = auc
        return set
    }

    /// (positives, negatives), throwing as scikit-learn does when one is missing.
    private static func classes(_ labels: [Bool]) throws -> (Double, Double) {
        let p = labels.filter { $0 }.count
        guard p > 0, p < labels.count else { throw ShapeError("only one class present") }
        return (Double(p), Double(labels.count - p))
    }

    func testROCWithOneThresholdPerPixelFails() {
        // Sorted by score (ties in their original order), one curve point per pixel.
        let set = rocSet { scores, labels in
            let (P, N) = try Self.classes(labels)
            var (tp, fp, area, lastTPR, lastFPR) = (0.0, 0.0, 0.0, 0.0, 0.0)
            for i in scores.indices.sorted(by: { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }) {
                if labels[i] { tp += 1 } else { fp += 1 }
                area += (fp / N - lastFPR) * (tp / P + lastTPR) / 2
                (lastTPR, lastFPR) = (tp / P, fp / N)
            }
            return area
        }
        assertFails(ROCAUCExercise().grade(set), ["scikit-learn's roc_auc_score, with ties"])
    }

    func testROCCountingPairsWithoutHalfCreditFails() {
        let set = rocSet { scores, labels in
            let (P, N) = try Self.classes(labels)
            var wins = 0.0
            for i in scores.indices where labels[i] { for j in scores.indices where !labels[j] && scores[i] > scores[j] { wins += 1 } }
            return wins / (P * N)
        }
        let result = ROCAUCExercise().grade(set)
        assertFails(result, ["scikit-learn's roc_auc_score, with ties"])
        assertPasses(result, ["one class only: an error"])
    }

    func testROCWithRectanglesFails() {
        // Tied thresholds merged, but the area as rectangles (the lower step) instead of trapezoids.
        let set = rocSet { scores, labels in
            let (P, N) = try Self.classes(labels)
            let order = scores.indices.sorted { scores[$0] > scores[$1] }
            var (tp, fp, area, lastTPR, lastFPR, k) = (0.0, 0.0, 0.0, 0.0, 0.0, 0)
            while k < order.count {
                let s = scores[order[k]]
                while k < order.count, scores[order[k]] == s { if labels[order[k]] { tp += 1 } else { fp += 1 }; k += 1 }
                area += (fp / N - lastFPR) * lastTPR
                (lastTPR, lastFPR) = (tp / P, fp / N)
            }
            return area
        }
        assertFails(ROCAUCExercise().grade(set), ["scikit-learn's roc_auc_score, with ties"])
    }

    func testROCReturningAHalfForOneClassLosesThatPoint() {
        let set = rocSet { scores, labels in
            let p = labels.filter { $0 }.count
            if p == 0 || p == labels.count { return 0.5 }
            return try Solutions.rocAUC(scores: scores, labels: labels)
        }
        let result = ROCAUCExercise().grade(set)
        XCTAssertEqual(result.points, 9, result.details)
        assertFails(result, ["one class only: an error"])
    }

    func testOtherValidROCAUCsGetFullMarks() {
        // Mann–Whitney U with average ranks for ties, and UNetKit's rocAUCScore.
        let ranks = rocSet { scores, labels in
            let (P, N) = try Self.classes(labels)
            let order = scores.indices.sorted { scores[$0] < scores[$1] }
            var rank = [Double](repeating: 0, count: scores.count)
            var k = 0
            while k < order.count {
                var end = k
                while end + 1 < order.count, scores[order[end + 1]] == scores[order[k]] { end += 1 }
                for m in k...end { rank[order[m]] = Double(k + end) / 2 + 1 }
                k = end + 1
            }
            let positiveRanks = scores.indices.filter { labels[$0] }.reduce(0.0) { $0 + rank[$1] }
            return (positiveRanks - P * (P + 1) / 2) / (P * N)
        }
        let result = ROCAUCExercise().grade(ranks)
        XCTAssertTrue(result.isFullMarks, result.details)
        let library = rocSet { try rocAUCScore(scores: $0, labels: $1) }
        XCTAssertTrue(ROCAUCExercise().grade(library).isFullMarks, ROCAUCExercise().grade(library).details)
    }
}
