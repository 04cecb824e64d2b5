import XCTest
@testable import Figures

final class TicksTests: XCTestCase {
    func testNiceTicks() {
        let unit = niceTicks(0, 1, maxTicks: 6).values
        XCTAssertEqual(unit.count, 6)
        for (v, e) in zip(unit, [0, 0.2, 0.4, 0.6, 0.8, 1.0]) { XCTAssertEqual(v, e, accuracy: 1e-12) }
        XCTAssertEqual(niceTicks(-0.5, 127.5, maxTicks: 9).values, [0, 20, 40, 60, 80, 100, 120])
        XCTAssertEqual(niceTicks(0.07, 0.68, maxTicks: 8).step, 0.1, accuracy: 1e-12)   // 0.1 … 0.6
        XCTAssertEqual(niceTicks(0.07, 0.68, maxTicks: 8).values.count, 6)
        XCTAssertEqual(niceTicks(-12.5, 262.5, maxTicks: 8).values, [0, 50, 100, 150, 200, 250])
    }

    func testTickLabelsShareDecimalsAndUseAMinusSign() {
        XCTAssertEqual(tickLabels([0, 0.2, 1], step: 0.2), ["0.0", "0.2", "1.0"])
        XCTAssertEqual(tickLabels([0, 50, 100], step: 50), ["0", "50", "100"])
        XCTAssertEqual(tickLabels([-0.25, 0, 2.5], step: 0.25), ["\u{2212}0.25", "0.00", "2.50"])
    }

    func testEMA() {
        XCTAssertEqual(exponentialMovingAverage([1, 3, .nan, 5], weight: 0.5).map { $0.isNaN ? -1 : $0 },
                       [1, 2, -1, 3.5])
    }
}
