import XCTest
import TestSupport
@testable import UNetKit
import SegmentationModels

final class UNetTests: XCTestCase {
    func testParameterCountAndNamesAsPyTorch() {
        let net = UNet(nChannels: 1, nClasses: 2)
        XCTAssertEqual(net.parameterCount, 13_394_242)
        let names = net.namedParameters().map(\.0)
        for key in ["inc.conv.conv.0.weight", "down1.mpconv.1.conv.0.weight", "up1.conv.conv.0.weight", "outc.conv.weight",
                    "up4.conv.conv.4.bias"] {
            XCTAssertTrue(names.contains(key), key)
        }
        XCTAssertTrue(net.namedBuffers().map(\.0).contains("down4.mpconv.1.conv.4.running_var"))
    }

    func testOutputShapeOnOddSizes() throws {
        let net = UNet(nChannels: 1, nClasses: 2)
        net.eval()
        let y = try withoutGradients { try net(Variable(Tensor(zeros: [1, 1, 40, 24]))) }
        XCTAssertEqual(y.shape, [1, 2, 40, 24])
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 3, 32, 32])))) {
            XCTAssertTrue("\($0)".contains("to have 1 channels, but got 3"), "\($0)")
        }
        XCTAssertThrowsError(try net(Variable(Tensor(zeros: [1, 1, 8, 32])))) {
            XCTAssertTrue("\($0)".contains("at least 16"), "\($0)")
        }
    }
}
