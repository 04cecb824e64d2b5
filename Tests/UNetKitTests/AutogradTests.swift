import XCTest
import TestSupport
@testable import UNetKit

final class AutogradTests: XCTestCase {
    /// A value used twice receives the sum of both gradients.
    func testGradientsAccumulateOverSharedNodes() throws {
        let x = Variable(randomTensor([1, 2, 3, 3], seed: 1), requiresGrad: true)
        let y = try x + x.relu()
        try y.backward(gradient: Tensor(repeating: 1, shape: y.shape))
        for (g, v) in zip(x.grad!.scalars, x.value.scalars) { XCTAssertEqual(g, v > 0 ? 2 : 1) }
        // Calling backward again adds again, as PyTorch does until zero_grad().
        try y.backward(gradient: Tensor(repeating: 1, shape: y.shape))
        for (g, v) in zip(x.grad!.scalars, x.value.scalars) { XCTAssertEqual(g, v > 0 ? 4 : 2) }
        x.zeroGrad()
        XCTAssertNil(x.grad)
    }

    func testBackwardNeedsAScalarOrAGradientOfTheRightShape() throws {
        let x = Variable(Tensor(zeros: [2, 3]), requiresGrad: true)
        let y = x.sigmoid()
        XCTAssertThrowsError(try y.backward()) { XCTAssertTrue("\($0)".contains("shape [2, 3]"), "\($0)") }
        XCTAssertThrowsError(try y.backward(gradient: Tensor(zeros: [3, 2]))) {
            XCTAssertTrue("\($0)".contains("expected a gradient of shape [2, 3], but got [3, 2]"), "\($0)")
        }
    }

    func testNoGraphWithoutGradients() throws {
        let w = Variable(Tensor(repeating: 1, shape: [1, 1, 1, 1]), requiresGrad: true)
        let x = Variable(Tensor(repeating: 2, shape: [1, 1, 2, 2]))
        let y = try withoutGradients { try conv2d(x, weight: w) }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(Autograd.isEnabled)
        XCTAssertTrue(try conv2d(x, weight: w).requiresGrad)
        XCTAssertFalse(x.relu().requiresGrad, "no parameter upstream: nothing to record")
    }

    /// Reshape and flatten send gradients back in the input's shape.
    func testReshapeBackward() throws {
        let x = Variable(randomTensor([2, 3, 2, 2], seed: 3), requiresGrad: true)
        let flat = try x.flattened()
        XCTAssertEqual(flat.shape, [24])
        try flat.backward(gradient: Tensor(shape: [24]) { Float($0[0]) })
        XCTAssertEqual(x.grad!.shape, [2, 3, 2, 2])
        XCTAssertEqual(x.grad!.scalars, (0..<24).map(Float.init))
    }
}
