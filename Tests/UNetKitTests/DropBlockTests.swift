import XCTest
import TestSupport
@testable import UNetKit

/// DropBlock: with the seed masks torchvision drew, the keep mask, output and gradient match
/// torchvision's `ops.drop_block2d`; our own random seeds have the rate γ implies; evaluation
/// mode is the identity; bad settings are clear errors.
final class DropBlockTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try LayerFixtures.tensor(name) }

    private let cases: [(String, p: Double, blockSize: Int)] = [
        ("drop_block.bs3", 0.3, 3), ("drop_block.bs5", 0.2, 5), ("drop_block.bs9", 0.5, 9),
        ("drop_block.bs7.full", 0.5, 7), ("drop_block.bs1", 0.4, 1),
    ]

    func testGivenSeedsMatchTorchvision() throws {
        for (name, p, bs) in cases {
            let seeds = try f("\(name).seeds")
            let x = Variable(try f("\(name).x"), requiresGrad: true)
            let (h, w) = (x.shape[2], x.shape[3])
            XCTAssertEqual(try dropBlockKeepMask(seedMask: seeds, blockSize: bs, height: h, width: w), try f("\(name).keep"),
                           "\(name) keep mask")
            let y = try dropBlock2d(x, seedMask: seeds, blockSize: bs)
            assertClose(y.value, try f("\(name).y"), .op, "\(name) y")
            try y.backward(gradient: try f("\(name).gy"))
            assertClose(x.grad!, try f("\(name).gx"), .op, "\(name) dx")
            let gamma = dropBlockGamma(p: p, blockSize: bs, height: h, width: w)
            assertClose(Tensor(repeating: Float(gamma), shape: []), try f("\(name).gamma"), .op, "\(name) γ")
        }
    }

    /// Seed 003's setting (p 0.5, block 9) and SA-UNet's (keep_prob 0.82, block 7) on other maps:
    /// the seeds are Binomial(positions, γ), and the dropped fraction matches
    /// E = mean over pixels of 1 − (1 − γ)^(number of seed positions whose block covers the pixel),
    /// within 5 standard errors of the mean over independent channel planes.
    func testDropRateMatchesGamma() throws {
        var generator = SeededGenerator(seed: 31)
        for (p, bs, h, w) in [(0.5, 9, 20, 16), (0.18, 7, 24, 24), (0.3, 3, 11, 9), (0.2, 1, 6, 7)] {
            let (n, c) = (4, 500)
            let seeds = try dropBlockSeedMask(inputShape: [n, c, h, w], p: p, blockSize: bs, using: &generator)
            let gamma = dropBlockGamma(p: p, blockSize: bs, height: h, width: w)
            let positions = Double(seeds.count)
            let seedCount = Double(seeds.scalars.reduce(0, +))
            XCTAssertLessThan(abs(seedCount - positions * gamma), 5 * (positions * gamma * (1 - gamma)).squareRoot(),
                              "seeds p \(p) bs \(bs)")

            func covering(_ i: Int, _ size: Int) -> Int { min(i, size - bs) - max(0, i - bs + 1) + 1 }
            var expected = 0.0
            for i in 0..<h { for j in 0..<w { expected += 1 - pow(1 - gamma, Double(covering(i, h) * covering(j, w))) } }
            expected /= Double(h * w)

            let keep = try dropBlockKeepMask(seedMask: seeds, blockSize: bs, height: h, width: w)
            let planes = n * c
            let fractions = (0..<planes).map { plane in
                1 - Double(keep.scalars[(plane * h * w)..<((plane + 1) * h * w)].reduce(0, +)) / Double(h * w)
            }
            let mean = fractions.reduce(0, +) / Double(planes)
            let variance = fractions.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(planes - 1)
            XCTAssertLessThan(abs(mean - expected), 5 * (variance / Double(planes)).squareRoot(),
                              "dropped fraction p \(p) bs \(bs): \(mean) vs \(expected)")
        }
    }

    /// The random op drops blocks and rescales so the output sums to about the input's sum.
    func testRandomDropBlockKeepsTheExpectedSum() throws {
        var generator = SeededGenerator(seed: 32)
        let x = Variable(Tensor(repeating: 1, shape: [2, 16, 20, 20]))
        let y = try dropBlock2d(x, p: 0.3, blockSize: 5, training: true, using: &generator)
        let zeros = y.value.scalars.filter { $0 == 0 }.count
        XCTAssertGreaterThan(zeros, 0)
        let kept = Float(x.value.count - zeros)
        XCTAssertEqual(y.value.scalars.reduce(0, +), Float(x.value.count), accuracy: 1e-3 * Float(x.value.count))
        XCTAssertTrue(y.value.scalars.allSatisfy { $0 == 0 || abs($0 - Float(x.value.count) / kept) < 1e-3 })
    }

    func testEvaluationModeAndZeroProbabilityAreTheIdentity() throws {
        let x = Variable(randomTensor([2, 3, 9, 9], seed: 1))
        let layer = DropBlock2d(p: 0.5, blockSize: 3)
        layer.eval()
        XCTAssertEqual(try layer(x).value, x.value)
        layer.train()
        XCTAssertNotEqual(try layer(x).value, x.value)
        var generator = SeededGenerator(seed: 2)
        XCTAssertEqual(try dropBlock2d(x, p: 0, blockSize: 3, training: true, using: &generator).value, x.value)
        XCTAssertEqual(try DropBlock2d(p: 0.3, blockSize: 5, seed: 4)(x).value,
                       try DropBlock2d(p: 0.3, blockSize: 5, seed: 4)(x).value)
    }

    func testBadInputIsAClearError() throws {
        let x = Variable(randomTensor([2, 3, 8, 8], seed: 3))
        var generator = SeededGenerator(seed: 4)
        func message(_ body: () throws -> Variable) -> String {
            do { _ = try body(); return "no error" } catch { return (error as? ShapeError)?.message ?? "\(error)" }
        }
        XCTAssertEqual(message { try dropBlock2d(x, p: 0.1, blockSize: 4, training: true, using: &generator) },
                       "drop_block2d: block size should be odd and positive, but got 4")
        XCTAssertEqual(message { try dropBlock2d(x, p: 0.1, blockSize: 9, training: true, using: &generator) },
                       "drop_block2d: block size 9 is larger than the feature map 8×8 of input [2, 3, 8, 8]")
        XCTAssertEqual(message { try dropBlock2d(x, p: 1, blockSize: 3, training: true, using: &generator) },
                       "drop_block2d: drop probability has to be in [0, 1), but got 1.0")
        XCTAssertEqual(message { try dropBlock2d(x, seedMask: Tensor(zeros: [2, 3, 8, 8]), blockSize: 3) },
                       "drop_block2d: expected a seed mask of shape [2, 3, 6, 6] for input [2, 3, 8, 8] and block size 3, "
                       + "but got [2, 3, 8, 8]")
        XCTAssertEqual(message { try dropBlock2d(Variable(Tensor(zeros: [3, 8, 8])), p: 0.1, blockSize: 3, training: true,
                                                 using: &generator) },
                       "drop_block2d: input should be 4-dimensional [N, C, H, W], but got shape [3, 8, 8]")
        let layer = DropBlock2d(p: 0.1, blockSize: 4)
        layer.eval()
        XCTAssertThrowsError(try layer(x), "an even block size is reported in evaluation mode too")
        let large = DropBlock2d(p: 0.1, blockSize: 9)
        large.eval()
        XCTAssertEqual(try large(x).value, x.value, "in evaluation a block larger than the map passes the input through")
        XCTAssertEqual(try dropBlock2d(x, p: 0, blockSize: 9, training: true, using: &generator).value, x.value,
                       "p = 0 is the identity whatever the block size")
        XCTAssertThrowsError(try dropBlockSeedMask(inputShape: [1, 1, 5, 5], p: -0.5, blockSize: 3, using: &generator))
    }
}
