import XCTest
import TestSupport
@testable import UNetKit

/// Keras' up-convolution as one op (`upsampleNearestConv2x2`) against PyTorch's composition
/// (interpolate, pad, conv2d; `Fixtures/make_network_fixtures.py`), against our own composition on
/// odd shapes and larger widths, and its backward against finite differences in Double.
final class NearestUpConvolutionTests: XCTestCase {
    func testMatchesPyTorchsComposition() throws {
        func f(_ key: String) throws -> Tensor { try NetworkFixtures.tensor("upconv_nearest.\(key)") }
        let x = Variable(try f("x"), requiresGrad: true)
        let w = Variable(try f("w"), requiresGrad: true), b = Variable(try f("b"), requiresGrad: true)
        let y = try upsampleNearestConv2x2(x, weight: w, bias: b)
        assertClose(y.value, try f("y"), .op, "y")
        try y.backward(gradient: try f("gy"))
        assertClose(x.grad!, try f("gx"), .op, "dx")
        assertClose(w.grad!, try f("gw"), .op, "dw")
        assertClose(b.grad!, try f("gb"), .op, "db")
    }

    /// The composition the op replaces, through the naive convolution: the same y and gradients,
    /// on shapes with one row or column, more channels than BLAS splits, and without a bias.
    func testMatchesTheComposition() throws {
        for (n, cin, cout, h, w, bias) in [(1, 1, 1, 1, 1, true), (2, 5, 3, 1, 6, true), (3, 2, 4, 7, 1, false),
                                            (2, 24, 16, 6, 9, true)] {
            let what = "N \(n), \(cin)→\(cout), \(h)×\(w)"
            let x = Tensor(unchecked: [n, cin, h, w], randomDoubles(n * cin * h * w, seed: 1).map(Float.init))
            let weight = Tensor(unchecked: [cout, cin, 2, 2], randomDoubles(cout * cin * 4, seed: 2).map(Float.init))
            let b = Tensor(unchecked: [cout], randomDoubles(cout, seed: 3).map(Float.init))
            let gy = Tensor(unchecked: [n, cout, 2 * h, 2 * w], randomDoubles(n * cout * 4 * h * w, seed: 4).map(Float.init))
            func run(fused: Bool) throws -> [Tensor] {
                let (xv, wv) = (Variable(x, requiresGrad: true), Variable(weight, requiresGrad: true))
                let bv = bias ? Variable(b, requiresGrad: true) : nil
                let y = fused ? try upsampleNearestConv2x2(xv, weight: wv, bias: bv)
                    : try conv2d(pad2d(upsampleNearest(xv), left: 0, right: 1, top: 0, bottom: 1), weight: wv, bias: bv,
                                 backend: .naive)
                try y.backward(gradient: gy)
                return [y.value, xv.grad!, wv.grad!] + (bv.map { [$0.grad!] } ?? [])
            }
            let (fused, composed) = (try run(fused: true), try run(fused: false))
            for (name, (a, e)) in zip(["y", "dx", "dw", "db"], zip(fused, composed)) {
                assertClose(a, e, .op, "\(what): \(name)")
            }
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        let (n, cin, cout, h, w) = (2, 3, 2, 3, 4)
        let x = randomDoubles(n * cin * h * w, seed: 11), weight = randomDoubles(cout * cin * 4, seed: 12)
        let b = randomDoubles(cout, seed: 13), gy = randomDoubles(n * cout * 4 * h * w, seed: 14)
        let g = upConvBackward(gy, x, weight, batch: n, cin: cin, cout: cout, height: h, width: w)
        func y(_ x: [Double], _ weight: [Double], _ b: [Double]) -> [Double] {
            upConvForward(x, weight, b, batch: n, cin: cin, cout: cout, height: h, width: w)
        }
        XCTAssertLessThan(finiteDifferenceError(x, gy: gy, analytic: g.dx) { y($0, weight, b) }, 1e-6, "dx")
        XCTAssertLessThan(finiteDifferenceError(weight, gy: gy, analytic: g.dw) { y(x, $0, b) }, 1e-6, "dw")
        XCTAssertLessThan(finiteDifferenceError(b, gy: gy, analytic: g.db) { y(x, weight, $0) }, 1e-6, "db")
    }

    func testBadShapes() {
        let x = Variable(Tensor(zeros: [1, 3, 4, 4]))
        XCTAssertThrowsError(try upsampleNearestConv2x2(x, weight: Variable(Tensor(zeros: [2, 3, 3, 3])))) {
            XCTAssertEqual(($0 as? ShapeError)?.message,
                           "the up-convolution expected a weight of shape [out, 3, 2, 2] for input[1, 3, 4, 4], but got [2, 3, 3, 3]")
        }
        XCTAssertThrowsError(try upsampleNearestConv2x2(x, weight: Variable(Tensor(zeros: [2, 3, 2, 2])),
                                                        bias: Variable(Tensor(zeros: [3]))))
        XCTAssertThrowsError(try upsampleNearestConv2x2(Variable(Tensor(zeros: [3, 4, 4])),
                                                        weight: Variable(Tensor(zeros: [2, 3, 2, 2]))))
    }
}
