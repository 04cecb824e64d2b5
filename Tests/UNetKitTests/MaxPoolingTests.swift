import XCTest
@testable import UNetKit

/// 2×2 max-pooling of float tensors runs in C, 8 windows at a time (`vk_max_pool_2x2`); every
/// other case runs the generic Swift loop, which `OpsParityTests` holds to PyTorch. Here the
/// two must agree exactly — values and argmax — on planes wide enough for whole groups of 8
/// windows and a part-group, with ties and NaNs (PyTorch's rule: the first maximum wins a tie,
/// the last NaN in a window wins over everything).
final class MaxPoolingTests: XCTestCase {
    func testFloatPathAgreesWithTheGenericLoopOnTiesAndNaN() {
        var generator = SeededGenerator(seed: 11)
        for (planes, height, width) in [(3, 9, 37), (2, 4, 16), (1, 6, 64), (2, 7, 5)] {
            let count = planes * height * width
            // Few distinct values (many ties), some NaNs and signed zeros.
            let x: [Float] = (0..<count).map { _ in
                switch Int.random(in: 0..<20, using: &generator) {
                case 0: return .nan
                case 1: return -0.0
                default: return Float(Int.random(in: -3...3, using: &generator))
                }
            }
            let fast = maxPool2dForward(x, planes: planes, height: height, width: width, kernel: 2)
            let generic = maxPool2dForward(x.map(Double.init), planes: planes, height: height, width: width, kernel: 2)
            let what = "\(planes)×\(height)×\(width)"
            XCTAssertEqual(fast.argmax, generic.argmax, what)
            XCTAssertEqual(fast.y.map(\.bitPattern), generic.y.map { Float($0).bitPattern }, what)
        }
    }

    /// The rule itself, on one row of 8 windows: ties go to the first, a NaN wins, the last NaN
    /// of a window wins.
    func testTiesAndNaNFollowPyTorch() {
        let nan = Float.nan
        // Row 0 then row 1 of 8 windows (16 columns).
        let top: [Float] = [1, 1, 2, 5, nan, 0, 3, 3, 0, nan, 7, 7, 1, 2, -1, -2]
        let bottom: [Float] = [1, 1, 5, 2, 9, 9, 3, 4, nan, nan, 7, 8, 2, 1, -3, -1]
        let (y, argmax) = maxPool2dForward(top + bottom, planes: 1, height: 2, width: 16, kernel: 2)
        XCTAssertEqual(argmax, [0, 3, 4, 23, 25, 27, 13, 14])
        XCTAssertEqual(y.map { $0.isNaN ? 99 : $0 }, [1, 5, 99, 4, 99, 8, 2, -1])
    }
}
