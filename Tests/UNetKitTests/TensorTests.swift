import XCTest
@testable import UNetKit

final class TensorTests: XCTestCase {
    func testPermuteRoundTrip() throws {
        let x = Tensor(shape: [2, 3, 4, 5]) { Float($0[0] * 1000 + $0[1] * 100 + $0[2] * 10 + $0[3]) }
        let y = try x.nhwcToNCHW()
        XCTAssertEqual(y.shape, [2, 5, 3, 4])
        XCTAssertEqual(y[1, 4, 2, 3], x[1, 2, 3, 4])
        XCTAssertEqual(try y.nchwToNHWC(), x)
    }
}
