import XCTest
import TestSupport
@testable import UNetKit

/// Dropout and Dropout2d: the masked ops against PyTorch's own draws (mask read back from its
/// output), the drop rate of our masks against the binomial law, evaluation mode, errors.
final class DropoutTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try LayerFixtures.tensor(name) }

    private func check(_ name: String, p: Double, _ op: (Variable, Tensor) throws -> Variable) throws {
        let x = Variable(try f("\(name).x"), requiresGrad: true)
        let y = try op(x, try f("\(name).mask"))
        assertClose(y.value, try f("\(name).y"), .op, "\(name) y")
        try y.backward(gradient: try f("\(name).gy"))
        assertClose(x.grad!, try f("\(name).gx"), .op, "\(name) dx")
    }

    func testMaskedDropoutMatchesPyTorch() throws {
        try check("dropout.p03", p: 0.3) { try dropout($0, keepMask: $1, p: 0.3) }
        try check("dropout.p05", p: 0.5) { try dropout($0, keepMask: $1, p: 0.5) }
        try check("dropout2d.p04", p: 0.4) { try dropout2d($0, keepMask: $1, p: 0.4) }
        try check("dropout2d.p02", p: 0.2) { try dropout2d($0, keepMask: $1, p: 0.2) }
    }

    /// The number of dropped elements is Binomial(n, p): within 5 standard deviations of n·p.
    func testDropRateIsBinomial() throws {
        var generator = SeededGenerator(seed: 21)
        for p in [0.1, 0.3, 0.5, 0.82] {
            let x = Variable(Tensor(repeating: 1, shape: [4, 8, 50, 50]))
            let y = try dropout(x, p: p, training: true, using: &generator)
            let n = Double(x.value.count)
            let dropped = Double(y.value.scalars.filter { $0 == 0 }.count)
            XCTAssertLessThan(abs(dropped - n * p), 5 * (n * p * (1 - p)).squareRoot(), "p \(p)")
            // The kept ones carry 1/(1 − p).
            XCTAssertTrue(y.value.scalars.allSatisfy { $0 == 0 || abs($0 - Float(1 / (1 - p))) < 1e-6 })
        }
        // Dropout2d drops whole planes: per channel, all zero or all kept.
        let x = Variable(Tensor(repeating: 1, shape: [50, 40, 3, 3]))
        let y = try dropout2d(x, p: 0.4, training: true, using: &generator)
        var dropped = 0.0
        for plane in 0..<2000 {
            let values = Set(y.value.scalars[(plane * 9)..<(plane * 9 + 9)])
            XCTAssertEqual(values.count, 1, "plane \(plane) is partly dropped")
            if values.first == 0 { dropped += 1 }
        }
        XCTAssertLessThan(abs(dropped - 800), 5 * (2000 * 0.4 * 0.6).squareRoot())
    }

    func testEvaluationModeAndZeroProbabilityAreTheIdentity() throws {
        let x = Variable(randomTensor([2, 3, 4, 5], seed: 1))
        for layer in [Dropout(p: 0.5) as Module, Dropout2d(p: 0.5)] {
            layer.eval()
            XCTAssertEqual(try layer(x).value, x.value)
            layer.train()
            XCTAssertNotEqual(try layer(x).value, x.value)
        }
        var generator = SeededGenerator(seed: 2)
        XCTAssertEqual(try dropout(x, p: 0, training: true, using: &generator).value, x.value)
    }

    /// The same seed gives the same masks; a layer without one takes it from `manualSeed`.
    func testSeededLayersAreReproducible() throws {
        let x = Variable(randomTensor([2, 3, 6, 6], seed: 3))
        XCTAssertEqual(try Dropout(p: 0.5, seed: 9)(x).value, try Dropout(p: 0.5, seed: 9)(x).value)
        XCTAssertNotEqual(try Dropout(p: 0.5, seed: 9)(x).value, try Dropout(p: 0.5, seed: 10)(x).value)
        manualSeed(5)
        let a = try Dropout2d(p: 0.5)(x).value
        manualSeed(5)
        XCTAssertEqual(try Dropout2d(p: 0.5)(x).value, a)
    }

    func testBadInputIsAClearError() throws {
        let x = Variable(randomTensor([2, 3, 4, 4], seed: 4))
        var generator = SeededGenerator(seed: 5)
        for p in [-0.1, 1, 1.5] {
            XCTAssertThrowsError(try dropout(x, p: p, training: true, using: &generator)) { error in
                XCTAssertEqual((error as? ShapeError)?.message, "dropout probability has to be in [0, 1), but got \(p)")
            }
            XCTAssertThrowsError(try Dropout2d(p: p)(x))
            let layer = Dropout(p: p)
            layer.eval()
            XCTAssertThrowsError(try layer(x), "invalid p is reported in evaluation mode too")
        }
        XCTAssertThrowsError(try dropout(x, keepMask: Tensor(repeating: 1, shape: [2, 3, 4, 5]), p: 0.5)) { error in
            XCTAssertEqual((error as? ShapeError)?.message,
                           "dropout: expected a keep mask of shape [2, 3, 4, 4] for input of shape [2, 3, 4, 4], "
                           + "but got [2, 3, 4, 5]")
        }
        XCTAssertThrowsError(try dropout(x, keepMask: Tensor(repeating: 0.5, shape: [2, 3, 4, 4]), p: 0.5))
        XCTAssertThrowsError(try dropout2d(Variable(randomTensor([3, 4], seed: 6)), p: 0.5, training: true, using: &generator))
    }
}
