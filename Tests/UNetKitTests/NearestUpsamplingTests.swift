import XCTest
import TestSupport
@testable import UNetKit

/// Nearest-neighbour up-sampling against PyTorch's `F.interpolate(mode='nearest')`, and its
/// backward against finite differences in Double.
final class NearestUpsamplingTests: XCTestCase {
    func testMatchesPyTorch() throws {
        for scale in [2, 3] {
            let name = "upsample_nearest.s\(scale)"
            let x = Variable(try NetworkFixtures.tensor("\(name).x"), requiresGrad: true)
            let y = try UpsampleNearest(scaleFactor: scale)(x)
            assertClose(y.value, try NetworkFixtures.tensor("\(name).y"), .op, "\(name) y")
            try y.backward(gradient: try NetworkFixtures.tensor("\(name).gy"))
            assertClose(x.grad!, try NetworkFixtures.tensor("\(name).gx"), .op, "\(name) dx")
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        for (scale, h, w) in [(2, 3, 4), (3, 2, 5)] {
            let planes = 2
            let x = randomDoubles(planes * h * w, seed: UInt64(scale))
            let gy = randomDoubles(planes * h * w * scale * scale, seed: 40 + UInt64(scale))
            let dx = upsampleNearestBackward(gy, planes: planes, height: h, width: w, scale: scale)
            let error = finiteDifferenceError(x, gy: gy, analytic: dx) {
                upsampleNearestForward($0, planes: planes, height: h, width: w, scale: scale)
            }
            XCTAssertLessThan(error, 1e-6, "scale \(scale)")
        }
    }

    func testBadInput() {
        XCTAssertThrowsError(try upsampleNearest(Variable(Tensor(zeros: [2, 3])))) 
        XCTAssertThrowsError(try upsampleNearest(Variable(Tensor(zeros: [1, 1, 2, 2])), scaleFactor: 0)) {
            XCTAssertEqual(($0 as? ShapeError)?.message, "nearest up-sampling needs a scale factor ≥ 1, but got 0")
        }
    }
}
