import XCTest
import UNetKit
import SegmentationModels
import LabExercises
import Solutions
@testable import Experiments

final class ParameterCountTests: XCTestCase {
    func testCourseParameterCounts() {
        XCTAssertEqual(ModelKind.unet.make(exercises: exercises).parameterCount, 13_394_242)
        XCTAssertEqual(ModelKind.shallow.make(exercises: exercises).parameterCount, 851_266)
        XCTAssertEqual(ModelKind.add.make(exercises: exercises).parameterCount, 11_809_090)
    }
}
