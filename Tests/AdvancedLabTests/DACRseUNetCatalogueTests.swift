import XCTest
import UNetKit
import SegmentationModels
import Experiments
import Solutions

/// `--model dacrse-unet`: seed 003's network with a head of `classes` sigmoid outputs (1 by default).
final class DACRseUNetCatalogueTests: XCTestCase {
    func testTheCatalogueBuildsAOneOutputDACRseUNet() throws {
        let entry = try NetworkCatalog.entry(named: "dacrse-unet")
        XCTAssertEqual(entry.output, .probabilities)
        XCTAssertEqual(entry.defaultClasses, 1)
        manualSeed(3)
        let network = entry.make(1, entry.defaultClasses, 4, Solutions.exercises)
        let seed = DACRseUNet(inChannels: 1, base: 4)
        XCTAssertTrue(network is DACRseUNet)
        // Only Last.0 differs from the printed 3-output network: 4·3 + 3 parameters become 4·1 + 1.
        XCTAssertEqual(seed.parameterCount - network.parameterCount, (4 * 3 + 3) - (4 * 1 + 1))
        XCTAssertEqual(Set(network.namedParameters().map(\.0)), Set(seed.namedParameters().map(\.0)))
        network.eval()
        let y = try withoutGradients { try network(Variable(Tensor(repeating: 0.5, shape: [1, 1, 40, 40]))) }.value
        XCTAssertEqual(y.shape, [1, 1, 40, 40])
        XCTAssertTrue(y.scalars.allSatisfy { $0 > 0 && $0 < 1 })
        let two = entry.make(1, 2, 4, Solutions.exercises)
        let y2 = try withoutGradients { try two(Variable(Tensor(zeros: [1, 1, 40, 40]))) }.value
        XCTAssertEqual(y2.shape, [1, 2, 40, 40])
    }
}
