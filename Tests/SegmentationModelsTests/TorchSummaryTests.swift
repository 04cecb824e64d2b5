import XCTest
import TestSupport
import UNetKit
import SegmentationModels

/// `torchSummary` against the tables `torch-summary` 1.4.5 prints for the PyTorch twins
/// (stored by `Fixtures/make_network_fixtures.py`), character for character.
final class TorchSummaryTests: XCTestCase {
    private func assertSameText(_ actual: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        let (a, e) = (actual.split(separator: "\n", omittingEmptySubsequences: false),
                      expected.split(separator: "\n", omittingEmptySubsequences: false))
        for (k, (x, y)) in zip(a, e).enumerated() where x != y {
            XCTFail("line \(k + 1):\n  got      \(x)\n  expected \(y)", file: file, line: line)
            return
        }
        XCTAssertEqual(a.count, e.count, "line count", file: file, line: line)
    }

    /// Seed 002's printed table: 39,398,274 parameters, 5.04 G mult-adds, 184.62 MB at 1×64×64.
    func testSeed002TableAsTorchSummaryPrintsIt() throws {
        let summary = try torchSummary(OCTAUNet(inChannels: 1, classes: 2), inputSize: [1, 64, 64],
                                       classNames: OCTAUNet.pytorchClassNames)
        let expected = try XCTUnwrap(try NetworkFixtures.file().metadata["summary.octa_unet.1x64x64"])
        assertSameText(summary.description, expected)
        XCTAssertEqual(summary.totalParameters, 39_398_274)
        XCTAssertTrue(summary.description.contains("Total mult-adds (G): 5.04"))
    }

    /// Nested containers (Rse → Sequential → layers, SE blocks at depth 4), a module called three
    /// times (`pool`), and empty SE layers.
    func testDACRseTableAsTorchSummaryPrintsIt() throws {
        let summary = try torchSummary(DACRseUNet(inChannels: 3, base: 4), inputSize: [3, 40, 40],
                                       classNames: DACRseUNet.pytorchClassNames)
        let expected = try XCTUnwrap(try NetworkFixtures.file().metadata["summary.dacrse.base4.3x40x40"])
        assertSameText(summary.description, expected)
    }
}
