import XCTest
import UNetKit
import SegmentationModels
import LabExercises
import Solutions
@testable import Experiments

/// `modelSummaryTable` runs the network only at its smallest input and scales H and W: the
/// table must equal that of a real forward pass at the asked size, for every course network.
final class SummaryFromShapesTests: XCTestCase {
    func testScaledSummaryEqualsAForwardPass() throws {
        for kind in ModelKind.allCases {
            for size in [32, 64, 96] {
                let description = ModelDescription(kind: kind, base: 4)
                let scaled = try modelSummaryTable(description, size: size, exercises: exercises)
                let direct = try modelSummary(description.make(exercises: exercises), input: [1, 1, size, size])
                XCTAssertEqual(scaled.description, direct.description, "\(kind) at \(size)")
                XCTAssertEqual(scaled.rows.count, direct.rows.count)
            }
        }
    }

    func testSizesThatAreNoMultipleAreRefused() {
        XCTAssertThrowsError(try modelSummaryTable(ModelDescription(kind: .unet, base: 4), size: 40, exercises: exercises))
    }
}
