import Foundation
import UNetKit
import SegmentationModels
import LabExercises

// What the advanced lab's five graders share: scalar comparisons, gradients of an answer, and
// fixture numbers stored as F64.

/// Throws unless `actual` is finite and within `absolute + relative·|expected|` of `expected`.
func requireClose(_ actual: Double, _ expected: Double, absolute: Double, relative: Double, _ what: String) throws {
    guard actual.isFinite, abs(actual - expected) <= absolute + relative * abs(expected) else {
        throw CheckFailure("\(what) returned \(actual), expected \(expected) "
                           + "(max allowed difference \(absolute) + \(relative)·|expected|)")
    }
}

/// A Double stored in a fixture (F64 files are read as Float): the shortest decimal that the
/// Float prints, so 0.1 comes back as 0.1.
func fixtureDouble(_ value: Float) -> Double { Double("\(value)") ?? Double(value) }

/// dL/d(leaf) after `backward`, or a failure that says the answer cut the graph.
func requireGradient(_ leaf: Variable, _ what: String, hint: String) throws -> Tensor {
    guard let g = leaf.grad else {
        throw CheckFailure("\(what): no gradient reached the input after backward() — \(hint)")
    }
    return g
}

/// Random 0/1 values (1 with probability `density`).
func randomMask(_ shape: [Int], density: Double, _ g: inout SeededGenerator) -> Tensor {
    Tensor(shape: shape) { _ in g.nextUnit() < density ? 1 : 0 }
}
