import Foundation
import UNetKit
import SegmentationModels
import LabExercises

/// Grades the advanced lab's DropBlock: `dropBlockGamma(dropProbability:blockSize:height:width:)`
/// γ = p/bs² · H·W/((H − bs + 1)(W − bs + 1)), and `dropBlock(_:seedMask:blockSize:)`
/// y = x · keep · numel/(1e-6 + Σ keep), keep = 1 − (the bs × bs blocks the seeds start).
///
/// - γ (2 points): nine (p, bs, H, W), square and not, against drop_block2d's formula;
/// - blocks and rescaling against torchvision (3 points): `drop_block2d` on [2, 3, 11, 9] (bs 3),
///   [1, 2, 13, 8] (bs 5), [2, 2, 10, 15] (bs 7), [1, 3, 6, 5] (bs 1) with the seeds of its own
///   Bernoulli draw: the output and the input gradient;
/// - randomized (3 points), new every run: sizes, block sizes and seed densities (also no seed
///   at all) against UNetKit's `dropBlock2d(_:seedMask:blockSize:)`, output and gradient;
/// - the drop rate, statistically (2 points): seeds drawn with the answer's γ on 256 planes
///   of 24 × 31 (p 0.1, bs 3) and 29 × 20 (p 0.25, bs 5); the fraction of pixels dropped must
///   lie within 5 standard errors (+ 0.005) of its exact expectation
///   mean over pixels of 1 − (1 − γ)^(seed positions covering the pixel),
///   and the rescaled output of ones must have mean 1.
///
/// Tolerance: 1e-5 + 1e-4·|expected| (γ: relative 1e-6).
public struct DropBlockExercise: ExerciseGrader {
    public init() {}
    public let exercise = "drop_block"
    public let title = "Advanced: dropBlock"
    public let file = "Labs/DropBlock.swift"
    public let function = "dropBlockGamma(dropProbability:blockSize:height:width:) and dropBlock(_:seedMask:blockSize:)"

    public func checks(_ set: ExerciseSet) -> [Check] {
        [
            Check("γ = p/bs² · H·W/((H − bs + 1)(W − bs + 1))", points: 2) {
                let rows = try GradingFixtures.tensor("dropblock.gammas")
                var cases: [(Double, Int, Int, Int, Double)] = (0..<rows.shape[0]).map { r in
                    (fixtureDouble(rows[r, 0]), Int(rows[r, 1]), Int(rows[r, 2]), Int(rows[r, 3]), Double(rows[r, 4]))
                }
                for i in 0..<4 {
                    let c = try Self.fixture(i)
                    cases.append((c.p, c.blockSize, c.x.shape[2], c.x.shape[3], c.gamma))
                }
                for (p, bs, h, w, expected) in cases {
                    let gamma = set.dropBlockGamma(p, bs, h, w)
                    try requireClose(gamma, expected, absolute: 0, relative: 1e-6,
                                     "dropBlockGamma(dropProbability: \(p), blockSize: \(bs), height: \(h), width: \(w)) "
                                     + "(drop_block2d's p·H·W/(bs²·(H − bs + 1)·(W − bs + 1)))")
                }
                return "\(cases.count) cases, square and not"
            },
            Check("blocks and rescaling against torchvision (given seeds)", points: 3) {
                for i in 0..<4 {
                    let c = try Self.fixture(i)
                    try Self.compare(set, c.x, c.seeds, c.blockSize, gy: c.gy, expected: c.y, expectedGradient: c.gx,
                                     source: "torchvision's drop_block2d after its Bernoulli draw")
                }
                return "4 cases, block sizes 3, 5, 7, 1, non-square maps: output and gradient"
            },
            Check("randomized sizes and seeds", points: 3) {
                let seed = randomizedSeed()
                var g = SeededGenerator(seed: seed)
                for case_ in 0..<6 {
                    let bs = [1, 3, 5, 7][g.integer(0, 4)]
                    let (n, c) = (g.integer(1, 3), g.integer(1, 4))
                    let (h, w) = (bs + g.integer(0, 9), bs + g.integer(0, 9))
                    let x = randomNormal([n, c, h, w], &g), gy = randomNormal([n, c, h, w], &g)
                    let seeds = randomMask([n, c, h - bs + 1, w - bs + 1], density: case_ == 0 ? 0 : g.uniform(0.02, 0.3), &g)
                    let reference = Variable(x, requiresGrad: true)
                    let y = try dropBlock2d(reference, seedMask: seeds, blockSize: bs)
                    try y.backward(gradient: gy)
                    try Self.compare(set, x, seeds, bs, gy: gy, expected: y.value, expectedGradient: reference.grad!,
                                     source: "UNetKit's dropBlock2d, randomized, UNETLAB_GRADER_SEED=\(seed)")
                }
                return "6 cases (seed \(seed))"
            },
            Check("the drop rate, statistically", points: 2) {
                let seed = randomizedSeed()
                var g = SeededGenerator(seed: seed)
                var notes: [String] = []
                for (p, bs, h, w) in [(0.1, 3, 24, 31), (0.25, 5, 29, 20)] {
                    let gamma = set.dropBlockGamma(p, bs, h, w)
                    guard gamma.isFinite, gamma >= 0, gamma <= 1 else {
                        throw CheckFailure("dropBlockGamma(dropProbability: \(p), blockSize: \(bs), height: \(h), width: \(w)) "
                                           + "returned \(gamma), expected a probability")
                    }
                    let planes = 256
                    let seeds = Tensor(shape: [planes, 1, h - bs + 1, w - bs + 1]) { _ in g.nextUnit() < gamma ? 1 : 0 }
                    let ones = Variable(Tensor(repeating: 1, shape: [planes, 1, h, w]))
                    let y = try withoutGradients { try set.dropBlock(ones, seeds, bs) }.value
                    guard y.shape == ones.shape else {
                        throw CheckFailure("dropBlock(ones \(shapeString(ones.shape)), …) returned shape \(shapeString(y.shape))")
                    }
                    let perPlane = (0..<planes).map { k in
                        Double(y.scalars[(k * h * w)..<((k + 1) * h * w)].filter { $0 == 0 }.count) / Double(h * w)
                    }
                    let rate = perPlane.reduce(0, +) / Double(planes)
                    let sd = sqrt(perPlane.map { ($0 - rate) * ($0 - rate) }.reduce(0, +) / Double(planes - 1))
                    let expected = Self.expectedDropRate(gamma: dropBlockGamma(p: p, blockSize: bs, height: h, width: w),
                                                         blockSize: bs, height: h, width: w)
                    let allowed = 5 * sd / sqrt(Double(planes)) + 0.005
                    guard abs(rate - expected) <= allowed else {
                        throw CheckFailure("with seeds drawn at your γ = \(gamma) (p = \(p), bs = \(bs), \(h)×\(w), 256 planes), "
                                           + "dropBlock dropped \(String(format: "%.2f", 100 * rate)) % of the pixels, expected "
                                           + "\(String(format: "%.2f", 100 * expected)) % ± \(String(format: "%.2f", 100 * allowed)) "
                                           + "(randomized, UNETLAB_GRADER_SEED=\(seed)) — check γ and the blocks")
                    }
                    let mean = y.scalars.reduce(0.0) { $0 + Double($1) } / Double(y.count)
                    guard abs(mean - 1) <= 1e-4 || rate == 1 else {
                        throw CheckFailure("dropBlock of ones has mean \(mean), expected 1: rescale by numel/(1e-6 + Σ keep) "
                                           + "(UNETLAB_GRADER_SEED=\(seed))")
                    }
                    notes.append("p \(p): dropped \(String(format: "%.1f", 100 * rate)) % (expected \(String(format: "%.1f", 100 * expected)) %)")
                }
                return notes.joined(separator: "; ") + " (seed \(seed))"
            },
        ]
    }

    /// The exact expected fraction of dropped pixels: a pixel is dropped unless none of the
    /// seed positions whose block covers it is a seed.
    public static func expectedDropRate(gamma: Double, blockSize bs: Int, height h: Int, width w: Int) -> Double {
        func covering(_ i: Int, _ size: Int) -> Int { min(i, size - bs) - max(0, i - bs + 1) + 1 }
        var total = 0.0
        for i in 0..<h { for j in 0..<w { total += 1 - pow(1 - gamma, Double(covering(i, h) * covering(j, w))) } }
        return total / Double(h * w)
    }

    struct Case { var x: Tensor, seeds: Tensor, p: Double, blockSize: Int, gamma: Double, y: Tensor, gy: Tensor, gx: Tensor }

    static func fixture(_ i: Int) throws -> Case {
        let name = "dropblock.case\(i)"
        let params = try GradingFixtures.tensor("\(name).params").scalars
        return Case(x: try GradingFixtures.tensor("\(name).x"), seeds: try GradingFixtures.tensor("\(name).seeds"),
                    p: fixtureDouble(params[0]), blockSize: Int(params[1]),
                    gamma: Double(try GradingFixtures.tensor("\(name).gamma").scalars[0]),
                    y: try GradingFixtures.tensor("\(name).y"), gy: try GradingFixtures.tensor("\(name).gy"),
                    gx: try GradingFixtures.tensor("\(name).gx"))
    }

    static func compare(_ set: ExerciseSet, _ x: Tensor, _ seeds: Tensor, _ bs: Int, gy: Tensor, expected: Tensor,
                        expectedGradient: Tensor, source: String) throws {
        let call = "dropBlock(input \(shapeString(x.shape)), seedMask with \(Int(seeds.scalars.reduce(0, +))) seeds, blockSize: \(bs))"
        let input = Variable(x, requiresGrad: true)
        let y = try set.dropBlock(input, seeds, bs)
        try requireClose(y.value, expected, absolute: 1e-5, relative: 1e-4, "\(call) (\(source))")
        try y.backward(gradient: gy)
        let gx = try requireGradient(input, call, hint: "return Variable(y, parents: [input]) { dy in [dy · keep · scale] }")
        try requireClose(gx, expectedGradient, absolute: 1e-5, relative: 1e-4, "the input gradient of \(call) (\(source))")
    }
}
