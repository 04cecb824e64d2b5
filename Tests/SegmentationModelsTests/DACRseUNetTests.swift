import XCTest
import TestSupport
import UNetKit
import SegmentationModels

/// Seed 003's DACRSE-UNet against its printed PyTorch code.
final class DACRseUNetTests: XCTestCase {
    func testParameterCountsAndNamesAsPyTorch() throws {
        let net = DACRse_Unet(inChannels: 1)
        XCTAssertEqual(net.parameterCount, try pyTorchParameterCount("dacrse.in1"))
        XCTAssertEqual(DACRseUNet(inChannels: 3).parameterCount, try pyTorchParameterCount("dacrse.in3"))
        let names = net.namedParameters().map(\.0)
        for key in ["rse1.start.0.weight", "rse1.start.2.weight", "rse1.se.fc.0.weight", "rse1.out.bias",
                    "dac.one.weight", "dac.three.1.weight", "dac.four.2.weight", "Deconv_3.weight", "Deconv_1.bias",
                    "drse1.start.6.bias", "Last.0.weight"] {
            XCTAssertTrue(names.contains(key), key)
        }
        XCTAssertTrue(net.namedBuffers().map(\.0).contains("drse3.start.4.running_var"))
        // rse1 has 1 channel: its SE bottleneck has 1 // 16 = 0 units, as in PyTorch.
        XCTAssertEqual(net.rse1.se.fc.namedParameters().map(\.1.shape), [[0, 1], [1, 0]])
        XCTAssertEqual(net.dac.three.layers.compactMap { ($0 as? Conv2d)?.dilation }, [1, 3, 1])
    }

    /// Base 4, 3 input channels, 40×40: SE widths 3, 4, 8 (0 hidden units) and 16 (1 unit).
    func testMatchesPyTorchInEvaluationAndTraining() throws {
        let net = DACRseUNet(inChannels: 3, base: 4, dropBlockP: 0)
        try assertMatchesPyTorchTwin("dacrse", net)
        net.eval()
        let y = try withoutGradients { try net(Variable(NetworkFixtures.tensor("dacrse.x"))) }
        XCTAssertEqual(y.shape, [1, 3, 40, 40])
        XCTAssertTrue(y.value.scalars.allSatisfy { $0 > 0 && $0 < 1 }, "Last ends in a sigmoid")
    }

    func testDropBlockIsActiveInTrainingOnly() throws {
        let net = DACRseUNet(inChannels: 1, base: 4)
        XCTAssertEqual(net.rse2.dropBlocks.map(\.p), [0.5, 0.5])
        XCTAssertEqual(net.rse2.dropBlocks.map(\.blockSize), [9, 9])
        let x = Variable(randomTensor([1, 1, 40, 40], seed: 3))
        net.eval()
        let a = try withoutGradients { try net(x) }
        let b = try withoutGradients { try net(x) }
        XCTAssertEqual(a.value.scalars, b.value.scalars)
        net.train()
        let c = try withoutGradients { try net(x) }
        XCTAssertNotEqual(c.value.scalars, a.value.scalars)
    }

    func testBadInputsNameTheNetwork() {
        let net = DACRseUNet(inChannels: 1, base: 2)
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 3, 40, 40])))) {
            XCTAssertEqual("\($0)".contains("DACRse_Unet expected input[1, 3, 40, 40] to have 1 channels, but got 3"), true, "\($0)")
        }
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 1, 44, 40])))) {
            XCTAssertTrue("\($0)".contains("DACRse_Unet halves the image 3 times"), "\($0)")
            XCTAssertTrue("\($0)".contains("multiples of 8 and at least 40"), "\($0)")
        }
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 1, 32, 32])))) {
            XCTAssertTrue("\($0)".contains("DACRse_Unet"), "\($0)")
        }
    }
}
