import XCTest
import TestSupport
@testable import UNetKit

/// conv2d and conv_transpose2d, naive, BLAS and Winograd, forward and backward, against PyTorch.
final class ConvolutionParityTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try OpsFixtures.tensor(name) }

    // The fixtures and test shapes are small: let Winograd take calls of any number of tiles.
    private var savedMinimumTiles = 0
    override func setUp() {
        savedMinimumTiles = WinogradTiling.minimumTilesPerCall
        WinogradTiling.minimumTilesPerCall = 0
    }
    override func tearDown() { WinogradTiling.minimumTilesPerCall = savedMinimumTiles }

    /// By default a call with few tiles goes to im2col (transforming the weights would cost more).
    func testFewTilesGoToIm2col() {
        WinogradTiling.minimumTilesPerCall = savedMinimumTiles
        let small = ConvGeometry(batch: 1, inChannels: 512, height: 8, width: 8, outChannels: 512, kernelHeight: 3,
                                 kernelWidth: 3, stride: 1, padding: 1)
        XCTAssertFalse(winogradApplies(small))
        let large = ConvGeometry(batch: 4, inChannels: 64, height: 128, width: 128, outChannels: 64, kernelHeight: 3,
                                 kernelWidth: 3, stride: 1, padding: 1)
        XCTAssertTrue(winogradApplies(large))
    }

    private let convCases: [(String, stride: Int, padding: Int)] = [
        ("conv2d.k3p1", 1, 1), ("conv2d.k3p0", 1, 0), ("conv2d.k1", 1, 0), ("conv2d.k3s2p1", 2, 1), ("conv2d.k5p2", 1, 2),
        ("conv2d.wide.k3p1", 1, 1), ("conv2d.wide.k3p0", 1, 0), ("conv2d.wide.k3p2", 1, 2),
    ]
    private let transposedCases: [(String, stride: Int, padding: Int)] = [
        ("conv_transpose2d.k3s2p1", 2, 1), ("conv_transpose2d.k2s2", 2, 0), ("conv_transpose2d.k3s1p1", 1, 1),
    ]

    func testConv2dForwardAndBackwardMatchPyTorch() throws {
        for (name, s, p) in convCases {
            for backend in ConvolutionBackend.allCases {
                let (x, w, b) = (try f("\(name).x"), try f("\(name).w"), try f("\(name).b"))
                let y = try conv2dForward(x, weight: w, bias: b, stride: s, padding: p, backend: backend)
                assertClose(y, try f("\(name).y"), .op, "\(name) \(backend) y")
                let g = try conv2dBackward(try f("\(name).gy"), input: x, weight: w, stride: s, padding: p, backend: backend)
                assertClose(g.input, try f("\(name).gx"), .op, "\(name) \(backend) dx")
                assertClose(g.weight, try f("\(name).gw"), .op, "\(name) \(backend) dw")
                assertClose(g.bias, try f("\(name).gb"), .op, "\(name) \(backend) db")
            }
        }
    }

    func testConvTranspose2dForwardAndBackwardMatchPyTorch() throws {
        for (name, s, p) in transposedCases {
            for backend in ConvolutionBackend.allCases {
                let (x, w, b) = (try f("\(name).x"), try f("\(name).w"), try f("\(name).b"))
                let y = try convTranspose2dForward(x, weight: w, bias: b, stride: s, padding: p, backend: backend)
                assertClose(y, try f("\(name).y"), .op, "\(name) \(backend) y")
                let g = try convTranspose2dBackward(try f("\(name).gy"), input: x, weight: w, stride: s, padding: p,
                                                    backend: backend)
                assertClose(g.input, try f("\(name).gx"), .op, "\(name) \(backend) dx")
                assertClose(g.weight, try f("\(name).gw"), .op, "\(name) \(backend) dw")
                assertClose(g.bias, try f("\(name).gb"), .op, "\(name) \(backend) db")
            }
        }
    }

    /// Through autograd: the Variable-level functions give the same gradients.
    func testConv2dThroughAutograd() throws {
        let name = "conv2d.k3p1"
        let x = Variable(try f("\(name).x"), requiresGrad: true)
        let w = Variable(try f("\(name).w"), requiresGrad: true)
        let b = Variable(try f("\(name).b"), requiresGrad: true)
        let y = try conv2d(x, weight: w, bias: b, padding: 1)
        try y.backward(gradient: try f("\(name).gy"))
        assertClose(x.grad!, try f("\(name).gx"), .op, "dx")
        assertClose(w.grad!, try f("\(name).gw"), .op, "dw")
        assertClose(b.grad!, try f("\(name).gb"), .op, "db")
    }

    /// Naive and BLAS agree on shapes PyTorch's fixtures do not cover (non-square kernels, batch 3).
    func testNaiveAndBLASAgreeOnRandomShapes() throws {
        let shapes: [(x: [Int], w: [Int], s: Int, p: Int)] = [
            ([3, 4, 11, 6], [5, 4, 3, 3], 1, 1), ([2, 3, 8, 8], [2, 3, 2, 3], 2, 0),
            ([1, 6, 5, 9], [7, 6, 1, 1], 1, 0), ([2, 2, 6, 5], [3, 2, 3, 1], 1, 2),
        ]
        for (k, c) in shapes.enumerated() {
            let x = randomTensor(c.x, seed: UInt64(10 + k)), w = randomTensor(c.w, seed: UInt64(20 + k))
            let b = randomTensor([c.w[0]], seed: UInt64(30 + k))
            let yN = try conv2dForward(x, weight: w, bias: b, stride: c.s, padding: c.p, backend: .naive)
            let yB = try conv2dForward(x, weight: w, bias: b, stride: c.s, padding: c.p, backend: .blas)
            assertClose(yB, yN, .op, "forward \(c)")
            let gy = randomTensor(yN.shape, seed: UInt64(40 + k))
            let gN = try conv2dBackward(gy, input: x, weight: w, stride: c.s, padding: c.p, backend: .naive)
            let gB = try conv2dBackward(gy, input: x, weight: w, stride: c.s, padding: c.p, backend: .blas)
            assertClose(gB.input, gN.input, .op, "dx \(c)")
            assertClose(gB.weight, gN.weight, .op, "dw \(c)")
            assertClose(gB.bias, gN.bias, .op, "db \(c)")
        }
    }

    /// The `.winograd` backend really takes the Winograd path on the wide fixtures (so the PyTorch
    /// comparison above tests it), and falls back to im2col + BLAS where it does not apply.
    func testWinogradPathIsTakenWhereItApplies() throws {
        for (name, s, p) in convCases {
            let g = try ConvGeometry(input: try f("\(name).x").shape, weight: try f("\(name).w").shape, bias: nil,
                                     stride: s, padding: p)
            XCTAssertEqual(winogradApplies(g), name.hasPrefix("conv2d.wide"), name)
        }
    }

    /// Winograd against the exact result (the naive loops in Double) on UNet-like widths, odd
    /// sizes, batch 3, a batch that needs several rounds of its 16 products, and rows of 8 tiles
    /// or more (the transforms work on 8 tiles at a time).
    ///
    /// Each output is a sum of many products that partly cancel, so the error is bounded by the
    /// size of the terms, not of the result: |winograd − exact| ≤ 16·ε·Σ|terms| with ε = 2⁻²⁴
    /// (float32) and Σ|terms| the same convolution of |x|, |w|, |dy|. A wrong transform misses by
    /// a sizeable fraction of Σ|terms|, about 10⁶ times this bound.
    func testWinogradAgreesWithExactConvolution() throws {
        try checkWinogradAgainstExactConvolution(tile: 2)
    }

    /// F(4×4, 3×3) the same way. Its transforms have entries up to 8 (F(2×2)'s: 0, ±1, ½), so
    /// rounding is amplified more (up to 52 ε measured where F(2×2) gives 4 ε); the bound is 16 times F(2×2)'s. A wrong transform still misses
    /// by about 10⁵ times the bound.
    func testWinogradF4AgreesWithExactConvolution() throws {
        try checkWinogradAgainstExactConvolution(tile: 4)
    }

    /// Layers in evaluation mode use F(4×4) on maps of at least 12×12 and F(2×2) below; training's
    /// forward pass always F(2×2); every backward pass F(4×4) from 24×24.
    func testTileChoice() {
        func geometry(_ side: Int) -> ConvGeometry {
            ConvGeometry(batch: 4, inChannels: 64, height: side, width: side, outChannels: 64, kernelHeight: 3,
                         kernelWidth: 3, stride: 1, padding: 1)
        }
        XCTAssertEqual(WinogradTiling.tile(for: geometry(128), evaluation: true), 4)
        XCTAssertEqual(WinogradTiling.tile(for: geometry(12), evaluation: true), 4)
        XCTAssertEqual(WinogradTiling.tile(for: geometry(11), evaluation: true), 2)
        XCTAssertEqual(WinogradTiling.tile(for: geometry(128), evaluation: false), 2)
        XCTAssertEqual(WinogradTiling.backwardTile(for: geometry(128)), 4)
        XCTAssertEqual(WinogradTiling.backwardTile(for: geometry(24)), 4)
        XCTAssertEqual(WinogradTiling.backwardTile(for: geometry(16)), 2)
        XCTAssertEqual(WinogradTiling(geometry(128)).points, 16)
        XCTAssertEqual(WinogradTiling(geometry(128), tile: 4).points, 36)
    }

    /// The point matrices of the scratch and of U sit one 64-byte line past a 4 KB multiple apart,
    /// so the 16 or 36 streams of a transform fall into different L1 sets; never closer than the
    /// matrix itself.
    func testPointMatricesAreOneCacheLinePastA4KBMultipleApart() {
        for floats in [1, 64 * 64, 64 * 256, 1024 * 37 + 5, 512 * 512] {
            let stride = winogradPointStride(floats)
            XCTAssertGreaterThanOrEqual(stride, floats)
            XCTAssertLessThan(stride, floats + 1024 + 16)
            XCTAssertEqual(stride % 1024, 16, "\(floats) floats")
        }
        let g = ConvGeometry(batch: 4, inChannels: 64, height: 128, width: 128, outChannels: 64, kernelHeight: 3,
                             kernelWidth: 3, stride: 1, padding: 1)
        let chunk = WinogradTiling(g, tile: 4).chunks[0]
        XCTAssertEqual(chunk.pointStride(channels: 64), winogradPointStride(64 * chunk.tiles))
    }

    /// A Conv2d layer in evaluation mode (F(4×4)) gives the same as the naive loops within the
    /// network tolerance (F(4×4) rounds more than one op's tolerance allows on these random
    /// weights), with its kept kernels and again after its weights change — kernels kept from the
    /// old weights would miss by the size of the outputs.
    func testEvaluationLayerUsesF4AndItsKeptKernels() throws {
        let layer = Conv2d(16, 24, kernelSize: 3, padding: 1)
        layer.eval()
        let x = Variable(randomTensor([2, 16, 20, 20], seed: 91))
        for round in 0..<3 {
            if round == 2 { layer.weight.value = randomTensor(layer.weight.value.shape, seed: 92) }
            let y = try withoutGradients { try layer(x) }.value
            let reference = try conv2dForward(x.value, weight: layer.weight.value, bias: layer.bias!.value, padding: 1,
                                              backend: .naive)
            assertClose(y, reference, .network, "round \(round)")
        }
    }

    /// A Conv2d layer in training mode on a 28×28 map (forward F(2×2), backward F(4×4)): its
    /// input and weight gradients match the naive loops' within the network tolerance, with the
    /// kernels it keeps per tile, after its weights change, and when they change between the
    /// forward and the backward pass (the backward must use the forward's weights, as PyTorch's
    /// saved tensors do; kernels of the new weights would miss by the size of the gradients).
    func testTrainingLayerBackwardUsesF4AndTheForwardsWeights() throws {
        let layer = Conv2d(16, 24, kernelSize: 3, padding: 1)
        let x = Variable(randomTensor([2, 16, 28, 28], seed: 93), requiresGrad: true)
        let g = try ConvGeometry(input: x.value.shape, weight: layer.weight.value.shape, bias: nil, stride: 1, padding: 1)
        XCTAssertEqual(WinogradTiling.tile(for: g, evaluation: false), 2)
        XCTAssertEqual(WinogradTiling.backwardTile(for: g), 4)
        let gy = randomTensor([2, 24, 28, 28], seed: 94)
        for round in 0..<4 {
            if round == 2 { layer.weight.value = randomTensor(layer.weight.value.shape, seed: 95) }
            let forwardWeights = layer.weight.value
            x.grad = nil
            layer.weight.grad = nil
            let y = try layer(x)
            if round == 3 { layer.weight.value = randomTensor(layer.weight.value.shape, seed: 96) }
            try y.backward(gradient: gy)
            let reference = try conv2dBackward(gy, input: x.value, weight: forwardWeights, padding: 1, backend: .naive)
            assertClose(x.grad!, reference.input, .network, "round \(round): dx")
            assertClose(layer.weight.grad!, reference.weight, .network, "round \(round): dw")
        }
    }

    /// The same with chunks forced down to bands of 1, 2 or 3 tile rows (as 128×128 images are
    /// cut), so that bands that overlap in the input gradient and partial last bands are checked.
    func testWinogradBandsOfTileRows() throws {
        let saved = (WinogradTiling.bytesPerChunk, WinogradTiling.minimumTiles)
        defer { (WinogradTiling.bytesPerChunk, WinogradTiling.minimumTiles) = saved }
        for (tile, tilesWide) in [(2, 7), (4, 4)] {
            for rows in [1, 2, 3] {
                WinogradTiling.minimumTiles = 1
                // (tile + 2)²·(Cin + Cout) floats per tile
                WinogradTiling.bytesPerChunk = 4 * (tile + 2) * (tile + 2) * 40 * tilesWide * rows
                let g = ConvGeometry(batch: 2, inChannels: 16, height: 13, width: 13, outChannels: 24, kernelHeight: 3,
                                     kernelWidth: 3, stride: 1, padding: 1)
                XCTAssertEqual(WinogradTiling(g, tile: tile).rowsPerChunk, rows)
                try checkWinogradAgainstExactConvolution(tile: tile)
            }
        }
    }

    private func checkWinogradAgainstExactConvolution(tile: Int) throws {
        let saved = WinogradTiling.forcedTile
        WinogradTiling.forcedTile = tile
        defer { WinogradTiling.forcedTile = saved }
        let shapes: [(x: [Int], cout: Int, p: Int)] = [
            ([3, 16, 11, 13], 24, 1), ([2, 32, 8, 8], 16, 1), ([1, 8, 9, 5], 12, 0), ([2, 12, 6, 7], 8, 2),
            ([40, 8, 8, 8], 8, 1),
            // Rows of 8 tiles and more (the C transforms' full groups) and a part-group at the end.
            ([2, 8, 21, 37], 8, 1), ([1, 8, 10, 64], 8, 1),
            // Wide enough that middle groups are read from the plane itself for F(4×4) as well.
            ([1, 8, 14, 100], 8, 1), ([1, 8, 18, 90], 8, 2),
        ]
        let bound = (tile == 4 ? 256 : 16) * Double(Float.ulpOfOne) / 2
        for (k, c) in shapes.enumerated() {
            let x = randomTensor(c.x, seed: UInt64(50 + k)), w = randomTensor([c.cout, c.x[1], 3, 3], seed: UInt64(60 + k))
            let b = randomTensor([c.cout], seed: UInt64(70 + k))
            let g = try ConvGeometry(input: x.shape, weight: w.shape, bias: b.shape, stride: 1, padding: c.p)
            XCTAssertTrue(winogradApplies(g))
            let gy = randomTensor(g.outputShape, seed: UInt64(80 + k))
            let (xd, wd, bd, gyd) = (x.scalars.map(Double.init), w.scalars.map(Double.init), b.scalars.map(Double.init),
                                     gy.scalars.map(Double.init))
            let exactY = conv2dNaiveForward(xd, wd, bd, g)
            let exact = conv2dNaiveBackward(gyd, xd, wd, g)
            let (ax, aw, agy) = (xd.map(abs), wd.map(abs), gyd.map(abs))
            let sizeY = conv2dNaiveForward(ax, aw, bd.map(abs), g)
            let size = conv2dNaiveBackward(agy, ax, aw, g)

            let y = try conv2dForward(x, weight: w, bias: b, padding: c.p, backend: .winograd)
            let grads = try conv2dBackward(gy, input: x, weight: w, padding: c.p, backend: .winograd)
            for (name, actual, reference, terms) in [("y", y.scalars, exactY, sizeY), ("dx", grads.input.scalars, exact.dx, size.dx),
                                                     ("dw", grads.weight.scalars, exact.dw, size.dw)] {
                let worst = zip(actual, zip(reference, terms)).map { abs(Double($0) - $1.0) / $1.1 }.max() ?? .nan
                XCTAssertLessThanOrEqual(worst, bound, "F(\(tile)×\(tile)) \(name) \(c): error / Σ|terms| = \(worst)")
            }
            assertClose(grads.bias, try Tensor(shape: [c.cout], scalars: exact.db.map(Float.init)), .op, "db \(c)")
        }
    }

    func testChannelMismatchSaysExpectedAndActual() throws {
        let x = Tensor(zeros: [4, 512, 32, 32]), w = Tensor(zeros: [256, 768, 3, 3])
        XCTAssertThrowsError(try conv2dForward(x, weight: w, bias: nil, padding: 1)) { error in
            XCTAssertEqual("\(error)", "weight of size [256, 768, 3, 3], expected input[4, 512, 32, 32] "
                           + "to have 768 channels, but got 512 channels instead")
        }
        XCTAssertThrowsError(try conv2dForward(Tensor(zeros: [1, 3, 8]), weight: Tensor(zeros: [2, 3, 3, 3]), bias: nil)) {
            XCTAssertTrue("\($0)".contains("expected a 4-D input"), "\($0)")
        }
        XCTAssertThrowsError(try conv2dForward(Tensor(zeros: [1, 3, 2, 2]), weight: Tensor(zeros: [2, 3, 3, 3]), bias: nil)) {
            XCTAssertTrue("\($0)".contains("smaller than the kernel"), "\($0)")
        }
        XCTAssertThrowsError(try conv2dForward(Tensor(zeros: [1, 3, 5, 5]), weight: Tensor(zeros: [2, 3, 3, 3]),
                                               bias: Tensor(zeros: [3]))) {
            XCTAssertTrue("\($0)".contains("expected bias of shape [2]"), "\($0)")
        }
        XCTAssertThrowsError(try convTranspose2dForward(Tensor(zeros: [1, 2, 3, 3]), weight: Tensor(zeros: [4, 2, 3, 3]),
                                                        bias: nil, stride: 2, padding: 1)) {
            XCTAssertTrue("\($0)".contains("to have 4 channels, but got 2 channels"), "\($0)")
        }
    }
}
