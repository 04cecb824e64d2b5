import XCTest
import TestSupport
@testable import UNetKit

/// Early stopping with Lightning's rule (improvement = better than best by more than min_delta;
/// stop after `patience` checks without one), and the best weights kept and restored. The
/// expected checks follow from the rule; PyTorch Lightning itself is not installed here.
final class EarlyStoppingTests: XCTestCase {
    /// Feeds `values` until the stopper says stop; returns the index of that check (nil: never).
    private func stopIndex(_ stopper: EarlyStopping, _ values: [Float]) -> Int? {
        values.firstIndex { stopper.update($0) }
    }

    func testMinModeWithMinDelta() throws {
        let stopper = try EarlyStopping(mode: .min, minDelta: 0.1, patience: 2)
        // 1.0 best; 0.95 not better by > 0.1; 0.85 is; 0.9 no; 0.8 no (0.05 < 0.1) → stop.
        XCTAssertEqual(stopIndex(stopper, [1.0, 0.95, 0.85, 0.9, 0.8, 0.1]), 4)
        XCTAssertEqual(stopper.best, 0.85)
        XCTAssertEqual(stopper.bestCheck, 2)
        XCTAssertEqual(stopper.wait, 2)
    }

    func testImprovementIsStrict() throws {
        let stopper = try EarlyStopping(mode: .min, minDelta: 0, patience: 1)
        XCTAssertEqual(stopIndex(stopper, [0.5, 0.5]), 1, "an equal value is not an improvement")
        let withDelta = try EarlyStopping(mode: .max, minDelta: 0.25, patience: 1)
        XCTAssertFalse(withDelta.update(0.5))
        XCTAssertTrue(withDelta.update(0.75), "exactly min_delta better is not an improvement")
    }

    func testMaxModeAndNegativeDeltaIsItsAbsoluteValue() throws {
        let stopper = try EarlyStopping(mode: .max, minDelta: -0.01, patience: 2)
        XCTAssertEqual(stopper.minDelta, 0.01)
        XCTAssertEqual(stopIndex(stopper, [0.5, 0.6, 0.605, 0.59, 0.7]), 3)
        XCTAssertEqual(stopper.best, 0.6)
    }

    func testNonFiniteValueStopsAtOnce() throws {
        let stopper = try EarlyStopping(patience: 10)
        XCTAssertEqual(stopIndex(stopper, [1, 0.5, .nan, 0.1]), 2)
        XCTAssertThrowsError(try EarlyStopping(patience: -1))
    }

    func testKeepsAndRestoresTheBestWeights() throws {
        let net = Sequential(Conv2d(1, 2, kernelSize: 3, padding: 1))
        let stopper = try EarlyStopping(mode: .min, patience: 3)
        XCTAssertThrowsError(try stopper.restoreBestWeights(into: net)) { XCTAssertTrue("\($0)".contains("no best weights")) }
        var atBest: [Tensor] = []
        for (k, loss) in [Float(0.9), 0.4, 0.6, 0.7].enumerated() {
            for p in net.parameters() { p.value = Tensor(repeating: Float(k), shape: p.shape) }
            if stopper.update(loss, model: net) { break }
            if k == 1 { atBest = net.parameters().map(\.value) }
        }
        XCTAssertFalse(stopper.shouldStop)
        XCTAssertNotEqual(net.parameters().map(\.value), atBest)
        try stopper.restoreBestWeights(into: net)
        XCTAssertEqual(net.parameters().map(\.value), atBest)
    }
}
