import XCTest
import TestSupport
@testable import UNetKit

/// Dilated conv2d (naive, im2col + BLAS, and `.winograd`, which must fall back to im2col) and
/// the `Conv2d(…, dilation:)` layer against PyTorch; output sizes and errors.
final class DilatedConvolutionTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try LayerFixtures.tensor(name) }

    // Small fixtures: let Winograd take calls of any size, so that only the dilation keeps it out.
    private var savedMinimumTiles = 0
    override func setUp() {
        savedMinimumTiles = WinogradTiling.minimumTilesPerCall
        WinogradTiling.minimumTilesPerCall = 0
    }
    override func tearDown() { WinogradTiling.minimumTilesPerCall = savedMinimumTiles }

    private let cases: [(String, stride: Int, padding: Int, dilation: Int)] = [
        ("conv2d.d2.k3p2", 1, 2, 2), ("conv2d.d3.k3p3", 1, 3, 3), ("conv2d.d5.k3p5", 1, 5, 5),
        ("conv2d.d2.k3s2p1", 2, 1, 2), ("conv2d.d3.k3p0", 1, 0, 3), ("conv2d.d2.k2p1", 1, 1, 2),
        ("conv2d.d2.k3x2p1", 1, 1, 2), ("conv2d.d2.k1", 1, 0, 2), ("conv2d.wide.d2.k3p2", 1, 2, 2),
    ]

    func testForwardAndBackwardMatchPyTorchOnEveryBackend() throws {
        for (name, s, p, d) in cases {
            let (x, w, b) = (try f("\(name).x"), try f("\(name).w"), try f("\(name).b"))
            for backend in ConvolutionBackend.allCases {
                let y = try conv2dForward(x, weight: w, bias: b, stride: s, padding: p, dilation: d, backend: backend)
                assertClose(y, try f("\(name).y"), .op, "\(name) \(backend) y")
                let g = try conv2dBackward(try f("\(name).gy"), input: x, weight: w, stride: s, padding: p, dilation: d,
                                           backend: backend)
                assertClose(g.input, try f("\(name).gx"), .op, "\(name) \(backend) dx")
                assertClose(g.weight, try f("\(name).gw"), .op, "\(name) \(backend) dw")
                assertClose(g.bias, try f("\(name).gb"), .op, "\(name) \(backend) db")
            }
        }
    }

    /// A 3×3 stride-1 convolution wide enough for Winograd takes it with dilation 1 only.
    func testWinogradOnlyForDilationOne() throws {
        let x = try f("conv2d.wide.d2.k3p2.x"), w = try f("conv2d.wide.d2.k3p2.w")
        let dilated = try ConvGeometry(input: x.shape, weight: w.shape, bias: nil, stride: 1, padding: 2, dilation: 2)
        XCTAssertFalse(winogradApplies(dilated))
        var plain = dilated
        plain.dilation = 1
        XCTAssertTrue(winogradApplies(plain))
    }

    /// The layer passes its dilation on, through autograd.
    func testConv2dLayerWithDilation() throws {
        let name = "conv2d.d3.k3p3"
        let layer = Conv2d(5, 2, kernelSize: 3, padding: 3, dilation: 3)
        layer.weight.value = try f("\(name).w")
        layer.bias!.value = try f("\(name).b")
        let x = Variable(try f("\(name).x"), requiresGrad: true)
        let y = try layer(x)
        assertClose(y.value, try f("\(name).y"), .op, "layer y")
        try y.backward(gradient: try f("\(name).gy"))
        assertClose(x.grad!, try f("\(name).gx"), .op, "layer dx")
        assertClose(layer.weight.grad!, try f("\(name).gw"), .op, "layer dw")
        assertClose(layer.bias!.grad!, try f("\(name).gb"), .op, "layer db")
    }

    /// A 1×1 kernel has a single tap: its dilation changes nothing (PyTorch agrees, see the fixture).
    func testPointwiseDilationHasNoEffect() throws {
        let (x, w, b) = (try f("conv2d.d2.k1.x"), try f("conv2d.d2.k1.w"), try f("conv2d.d2.k1.b"))
        for d in [2, 7] {
            XCTAssertEqual(try conv2dForward(x, weight: w, bias: b, dilation: d),
                           try conv2dForward(x, weight: w, bias: b, dilation: 1))
        }
    }

    /// PyTorch's size formula: ⌊(H + 2p − d·(k − 1) − 1)/s⌋ + 1.
    func testOutputSizeFormula() throws {
        for (h, k, s, p, d) in [(64, 3, 1, 2, 2), (64, 3, 1, 3, 3), (64, 3, 1, 5, 5), (17, 3, 2, 1, 2), (10, 5, 3, 0, 2)] {
            let g = try ConvGeometry(input: [1, 1, h, h + 1], weight: [1, 1, k, k], bias: nil, stride: s, padding: p,
                                     dilation: d)
            XCTAssertEqual(g.outHeight, (h + 2 * p - d * (k - 1) - 1) / s + 1)
            XCTAssertEqual(g.outWidth, (h + 1 + 2 * p - d * (k - 1) - 1) / s + 1)
        }
        // "same" padding for a dilated 3×3: p = d keeps 64×64.
        let same = try ConvGeometry(input: [4, 64, 64, 64], weight: [64, 64, 3, 3], bias: nil, stride: 1, padding: 5, dilation: 5)
        XCTAssertEqual(same.outputShape, [4, 64, 64, 64])
    }

    /// The three implementations agree on random shapes with stride, padding and dilation mixed.
    func testBackendsAgreeOnRandomGeometries() throws {
        for (k, (s, p, d)) in [(1, 0, 2), (2, 3, 3), (3, 1, 2), (1, 4, 4), (2, 0, 1)].enumerated() {
            let x = randomTensor([2, 3, 13, 11], seed: UInt64(40 + k)), w = randomTensor([4, 3, 3, 3], seed: 50)
            let b = randomTensor([4], seed: 51)
            let reference = try conv2dForward(x, weight: w, bias: b, stride: s, padding: p, dilation: d, backend: .naive)
            let gy = randomTensor(reference.shape, seed: 52)
            let gradients = try conv2dBackward(gy, input: x, weight: w, stride: s, padding: p, dilation: d, backend: .naive)
            for backend in [ConvolutionBackend.blas, .winograd] {
                let what = "s\(s) p\(p) d\(d) \(backend)"
                assertClose(try conv2dForward(x, weight: w, bias: b, stride: s, padding: p, dilation: d, backend: backend),
                            reference, .op, what)
                let g = try conv2dBackward(gy, input: x, weight: w, stride: s, padding: p, dilation: d, backend: backend)
                assertClose(g.input, gradients.input, .op, what + " dx")
                assertClose(g.weight, gradients.weight, .op, what + " dw")
            }
        }
    }

    func testBadDilationIsAClearError() throws {
        let x = Variable(randomTensor([1, 2, 9, 9], seed: 1)), w = Variable(randomTensor([3, 2, 3, 3], seed: 2))
        for d in [0, -1] {
            XCTAssertThrowsError(try conv2d(x, weight: w, dilation: d)) { error in
                XCTAssertEqual((error as? ShapeError)?.message, "expected dilation ≥ 1 for conv2d, but got dilation \(d)")
            }
            XCTAssertThrowsError(try Conv2d(2, 3, kernelSize: 3, dilation: d)(x))
        }
        // A dilated kernel wider than the padded input: 3×3 with dilation 5 spans 11×11 > 9×9.
        XCTAssertThrowsError(try conv2d(x, weight: w, padding: 0, dilation: 5)) { error in
            let message = (error as? ShapeError)?.message ?? ""
            XCTAssertTrue(message.contains("dilation 5") && message.contains("11×11"), message)
        }
        XCTAssertNoThrow(try conv2d(x, weight: w, padding: 1, dilation: 5))
    }
}
