import XCTest
import Grading
import Labs

/// The student's grader as XCTest: one class per exercise of `Labs/`, each asserting full
/// marks — in Xcode or `swift test --filter LabGraders` a failing exercise fails with the
/// grader's message. (`make grade` does not use these: it compiles Labs/ alone with compile
/// isolation and grades each exercise in a sandboxed child, `unetlab-grade`.)
///
/// `make test` skips this target: the shipped stubs fail it by design.
func assertFullMarks(_ grader: any ExerciseGrader, file: StaticString = #filePath, line: UInt = #line) {
    let result = grader.grade(Labs.exercises)
    print(GradeLine.encode(result))
    XCTAssert(result.isFullMarks, "\(result.title): \(result.points)/\(result.maxPoints)\n\(result.details)",
              file: file, line: line)
}

final class JaccardGrader: XCTestCase {
    func testJaccardCoeff() { assertFullMarks(JaccardExercise()) }
}

final class Deconv2dGrader: XCTestCase {
    func testDeconv2d() { assertFullMarks(Deconv2dExercise()) }
}

final class UpAddGrader: XCTestCase {
    func testUpAdd() { assertFullMarks(UpAddExercise()) }
}

final class UNetShallowGrader: XCTestCase {
    func testUNetShallow() { assertFullMarks(UNetShallowExercise()) }
}

final class FocalLossGrader: XCTestCase {
    func testFocalLoss() { assertFullMarks(FocalLossExercise()) }
}

final class DropBlockGrader: XCTestCase {
    func testDropBlock() { assertFullMarks(DropBlockExercise()) }
}

final class SpatialAttentionGrader: XCTestCase {
    func testSpatialAttention() { assertFullMarks(SpatialAttentionExercise()) }
}

final class SlidingWindowGrader: XCTestCase {
    func testSlidingWindowPredict() { assertFullMarks(SlidingWindowExercise()) }
}

final class ROCAUCGrader: XCTestCase {
    func testROCAUC() { assertFullMarks(ROCAUCExercise()) }
}
