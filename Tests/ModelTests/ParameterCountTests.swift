import XCTest
import UNetKit
import Solutions
@testable import Lab

final class ParameterCountTests: XCTestCase {
    func testCourseParameterCounts() {
        XCTAssertEqual(ModelKind.unet.make(exercises: exercises).parameterCount, 13_394_242)
        XCTAssertEqual(ModelKind.shallow.make(exercises: exercises).parameterCount, 851_266)
        XCTAssertEqual(ModelKind.add.make(exercises: exercises).parameterCount, 11_809_090)
    }
}
