import XCTest
import TestSupport
import UNetKit
import SegmentationModels

/// SA-UNet (seed 000) against its PyTorch twin.
final class SAUNetTests: XCTestCase {
    func testParameterCountsAndNamesAsPyTorch() throws {
        let net = SAUNet(inChannels: 3)
        XCTAssertEqual(net.parameterCount, try pyTorchParameterCount("sa_unet.in3"))
        XCTAssertEqual(SAUNet(inChannels: 1).parameterCount, try pyTorchParameterCount("sa_unet.in1"))
        let names = net.namedParameters().map(\.0)
        for key in ["enc1.0.conv.weight", "enc3.1.bn.bias", "bottleneck1.conv.weight", "attention.conv.weight",
                    "up3.weight", "dec1.1.conv.bias", "head.weight"] {
            XCTAssertTrue(names.contains(key), key)
        }
        XCTAssertEqual(net.attention.conv.weight.shape, [1, 2, 7, 7])
        XCTAssertEqual(net.up3.outputPadding, 1)
        XCTAssertEqual(net.enc1.layers.compactMap { ($0 as? SAUnit)?.dropBlock.p }, [0.18, 0.18])
    }

    /// Width 4 on 2×3×16×16 (DropBlock p = 0, block 1 so it fits the 2×2 bottleneck).
    func testMatchesPyTorchInEvaluationAndTraining() throws {
        let net = SAUNet(inChannels: 3, width: 4, blockSize: 1, dropBlockP: 0)
        try assertMatchesPyTorchTwin("sa_unet", net)
        XCTAssertEqual(try withoutGradients { try net(Variable(NetworkFixtures.tensor("sa_unet.x"))) }.shape, [2, 1, 16, 16])
    }

    /// In evaluation without gradients a unit runs as one op (DropBlock is the identity there):
    /// observers still see Conv2d → DropBlock2d → BatchNorm2d with the shapes of the layer-by-layer
    /// path (evaluation with gradients), and the two outputs agree.
    func testFusedEvaluationUnitsReportTheirLayersInOrder() throws {
        let net = SAUNet(inChannels: 3, width: 4, blockSize: 1)
        net.eval()
        let x = Variable(try NetworkFixtures.tensor("sa_unet.x"))
        func run(gradients: Bool) throws -> ([String], Tensor) {
            var rows: [String] = []
            let y = try net.withForwardObserver({ module, output in rows.append("\(type(of: module)) \(output.shape)") }) {
                gradients ? try net(x) : try withoutGradients { try net(x) }
            }
            return (rows, y.value)
        }
        let (fusedRows, fused) = try run(gradients: false)
        let (layerRows, layers) = try run(gradients: true)
        XCTAssertEqual(fusedRows, layerRows)
        XCTAssertEqual(Array(fusedRows.prefix(4)), ["Conv2d [2, 4, 16, 16]", "DropBlock2d [2, 4, 16, 16]",
                                                    "BatchNorm2d [2, 4, 16, 16]", "SAUnit [2, 4, 16, 16]"])
        assertClose(fused, layers, .network, "fused against layer-by-layer evaluation")
    }

    func testBadInputsNameTheNetwork() {
        let net = SAUNet(inChannels: 3, width: 2, blockSize: 3)
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 1, 24, 24])))) {
            XCTAssertTrue("\($0)".contains("SA-UNet expected input[1, 1, 24, 24] to have 3 channels, but got 1"), "\($0)")
        }
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 3, 28, 24])))) {
            XCTAssertTrue("\($0)".contains("SA-UNet halves the image 3 times"), "\($0)")
        }
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 3, 16, 16])))) {
            XCTAssertTrue("\($0)".contains("at least 24"), "\($0)")
        }
    }
}
