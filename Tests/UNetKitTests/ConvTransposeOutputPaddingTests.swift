import XCTest
import TestSupport
@testable import UNetKit

/// conv_transpose2d with output_padding and dilation — k4 s2 p1 (seed 002's up-sampling),
/// k3 s2 p1 op1 (the port of Keras' "same"), and the PyTorch rule output_padding < stride or
/// dilation — against PyTorch, on every backend, plus the layer and the errors.
final class ConvTransposeOutputPaddingTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try LayerFixtures.tensor(name) }

    private let cases: [(String, stride: Int, padding: Int, outputPadding: Int, dilation: Int)] = [
        ("conv_transpose2d.k4s2p1", 2, 1, 0, 1), ("conv_transpose2d.k3s2p1op1", 2, 1, 1, 1),
        ("conv_transpose2d.k3s3p0op2", 3, 0, 2, 1), ("conv_transpose2d.k3s1p1op1d2", 1, 1, 1, 2),
        ("conv_transpose2d.k3s1p0op2d3", 1, 0, 2, 3), ("conv_transpose2d.k3s2p2op1d2", 2, 2, 1, 2),
    ]

    func testForwardAndBackwardMatchPyTorchOnEveryBackend() throws {
        for (name, s, p, op, d) in cases {
            let (x, w, b) = (try f("\(name).x"), try f("\(name).w"), try f("\(name).b"))
            for backend in ConvolutionBackend.allCases {
                let y = try convTranspose2dForward(x, weight: w, bias: b, stride: s, padding: p, outputPadding: op,
                                                   dilation: d, backend: backend)
                assertClose(y, try f("\(name).y"), .op, "\(name) \(backend) y")
                let g = try convTranspose2dBackward(try f("\(name).gy"), input: x, weight: w, stride: s, padding: p,
                                                    outputPadding: op, dilation: d, backend: backend)
                assertClose(g.input, try f("\(name).gx"), .op, "\(name) \(backend) dx")
                assertClose(g.weight, try f("\(name).gw"), .op, "\(name) \(backend) dw")
                assertClose(g.bias, try f("\(name).gb"), .op, "\(name) \(backend) db")
            }
        }
    }

    /// k3 s2 p1 op1 and k4 s2 p1 both double H and W exactly.
    func testUpsamplingLayersDoubleTheSize() throws {
        let x = Variable(randomTensor([2, 4, 5, 7], seed: 3))
        XCTAssertEqual(try ConvTranspose2d(4, 2, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1)(x).shape, [2, 2, 10, 14])
        XCTAssertEqual(try ConvTranspose2d(4, 2, kernelSize: 4, stride: 2, padding: 1)(x).shape, [2, 2, 10, 14])
        // Without output_padding k3 s2 p1 gives 2H − 1.
        XCTAssertEqual(try ConvTranspose2d(4, 2, kernelSize: 3, stride: 2, padding: 1)(x).shape, [2, 2, 9, 13])
    }

    func testLayerWithOutputPaddingThroughAutograd() throws {
        let name = "conv_transpose2d.k3s2p1op1"
        let layer = ConvTranspose2d(4, 3, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1)
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

    func testBadOutputPaddingOrDilationIsAClearError() throws {
        let x = Variable(randomTensor([1, 2, 4, 4], seed: 4)), w = Variable(randomTensor([2, 3, 3, 3], seed: 5))
        // output_padding must be smaller than the stride or the dilation.
        for (s, op, d) in [(2, 2, 1), (1, 1, 1), (2, 3, 3), (2, -1, 1)] {
            XCTAssertThrowsError(try convTranspose2d(x, weight: w, stride: s, outputPadding: op, dilation: d)) { error in
                XCTAssertEqual((error as? ShapeError)?.message,
                               "output padding must be ≥ 0 and smaller than either stride or dilation, but got "
                               + "output_padding \(op), stride \(s), dilation \(d)")
            }
        }
        XCTAssertNoThrow(try convTranspose2d(x, weight: w, stride: 1, outputPadding: 1, dilation: 2))
        XCTAssertThrowsError(try convTranspose2d(x, weight: w, dilation: 0)) { error in
            XCTAssertEqual((error as? ShapeError)?.message, "expected dilation ≥ 1 for conv_transpose2d, but got dilation 0")
        }
        XCTAssertThrowsError(try ConvTranspose2d(2, 3, kernelSize: 3, stride: 2, outputPadding: 2)(x))
    }
}
