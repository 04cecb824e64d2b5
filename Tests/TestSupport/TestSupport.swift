import Foundation
import XCTest
import UNetKit

/// Shared helpers for UNetKit's tests: the PyTorch fixtures, closeness assertions that
/// report the worst element, and a finite-difference gradient checker in Double.

/// `Tests/Fixtures/` in the source tree: the PyTorch fixtures of the library's tests.
public let fixturesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

/// The fixture files of `Tests/Fixtures/`, each read once.
public let testFixtures = SafeTensorsFolder(fixturesDirectory)

/// The tolerance used against PyTorch float32 results: |actual − expected| ≤ atol + rtol·|expected|.
public struct Tolerance: Sendable {
    public var absolute: Float
    public var relative: Float
    public init(absolute: Float, relative: Float) { self.absolute = absolute; self.relative = relative }
    /// Forward and backward of single ops against PyTorch: float32 sums of at most a few hundred terms.
    public static let op = Tolerance(absolute: 1e-5, relative: 1e-4)
    /// Whole networks and training steps: longer chains of float32 arithmetic.
    public static let network = Tolerance(absolute: 1e-4, relative: 1e-3)
}

/// Asserts equal shapes and element-wise closeness; on failure names the worst element.
public func assertClose(_ actual: Tensor, _ expected: Tensor, _ tolerance: Tolerance = .op, _ what: String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    guard actual.shape == expected.shape else {
        XCTFail("\(what): shape \(shapeString(actual.shape)) ≠ expected \(shapeString(expected.shape))",
                file: file, line: line)
        return
    }
    var worst = (index: -1, excess: Float(0))
    for i in 0..<actual.count {
        let (a, e) = (actual.scalars[i], expected.scalars[i])
        let allowed = tolerance.absolute + tolerance.relative * abs(e)
        let excess = a.isNaN != e.isNaN ? .infinity : abs(a - e) - allowed
        if excess > worst.excess { worst = (i, excess) }
    }
    if worst.index >= 0 {
        let i = worst.index
        XCTFail("\(what): element \(i) is \(actual.scalars[i]), expected \(expected.scalars[i]) "
                + "(|diff| \(abs(actual.scalars[i] - expected.scalars[i])) > \(tolerance.absolute) + "
                + "\(tolerance.relative)·|expected|)", file: file, line: line)
    }
}

/// Random normal tensor from a seeded generator.
public func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor(shape: shape) { _ in Float(g.normal()) * scale }
}

/// Random normal Double values.
public func randomDoubles(_ count: Int, seed: UInt64) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in g.normal() }
}

/// Central-difference check of an analytic gradient, in Double.
///
/// For L(x) = Σ forward(x) · gy, compares `analytic` (dL/dx from the backward pass) with
/// (L(x + h·e_i) − L(x − h·e_i)) / 2h for every i, and returns the largest relative error
/// |a − n| / max(1, |a|, |n|).
public func finiteDifferenceError(_ x: [Double], gy: [Double], analytic: [Double], h: Double = 1e-6,
                                  forward: ([Double]) -> [Double]) -> Double {
    func loss(_ x: [Double]) -> Double { zip(forward(x), gy).reduce(0) { $0 + $1.0 * $1.1 } }
    var worst = 0.0
    var probe = x
    for i in 0..<x.count {
        probe[i] = x[i] + h
        let plus = loss(probe)
        probe[i] = x[i] - h
        let minus = loss(probe)
        probe[i] = x[i]
        let numeric = (plus - minus) / (2 * h)
        worst = max(worst, abs(numeric - analytic[i]) / max(1, abs(numeric), abs(analytic[i])))
    }
    return worst
}
