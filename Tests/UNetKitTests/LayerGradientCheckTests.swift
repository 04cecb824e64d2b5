import XCTest
import TestSupport
@testable import UNetKit

/// Finite-difference checks, in Double, of the backward kernels of the building blocks:
/// dilated convolution, transposed convolution with output_padding and dilation, dropout and
/// DropBlock masks, channel mean and max, global average pooling, linear, broadcasting
/// multiplication, and the spatial-attention and squeeze-and-excitation chains.
final class LayerGradientCheckTests: XCTestCase {
    private let limit = 1e-6

    private func assertGradient(_ what: String, x: [Double], gy: [Double], analytic: [Double],
                                file: StaticString = #filePath, line: UInt = #line, forward: ([Double]) -> [Double]) {
        let error = finiteDifferenceError(x, gy: gy, analytic: analytic, forward: forward)
        XCTAssertLessThan(error, limit, "\(what): finite differences disagree with backward", file: file, line: line)
    }

    private func add(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }

    func testDilatedConvolution() throws {
        for (k, (s, p, d, kh, kw)) in [(1, 2, 2, 3, 3), (2, 1, 2, 3, 3), (1, 0, 3, 3, 2), (1, 3, 3, 2, 2)].enumerated() {
            let g = try ConvGeometry(input: [2, 3, 9, 8], weight: [2, 3, kh, kw], bias: [2], stride: s, padding: p, dilation: d)
            let x = randomDoubles(g.inputShape.reduce(1, *), seed: UInt64(k))
            let w = randomDoubles(g.weightShape.reduce(1, *), seed: 100)
            let b = randomDoubles(2, seed: 101)
            let gy = randomDoubles(g.outputShape.reduce(1, *), seed: 102)
            let grads = conv2dNaiveBackward(gy, x, w, g)
            let what = "conv s\(s) p\(p) d\(d) k\(kh)×\(kw)"
            assertGradient(what + " dx", x: x, gy: gy, analytic: grads.dx) { conv2dNaiveForward($0, w, b, g) }
            assertGradient(what + " dw", x: w, gy: gy, analytic: grads.dw) { conv2dNaiveForward(x, $0, b, g) }
            assertGradient(what + " db", x: b, gy: gy, analytic: grads.db) { conv2dNaiveForward(x, w, $0, g) }
        }
    }

    /// Including output_padding ≥ stride (allowed when smaller than the dilation), where the
    /// input is extended by zero rows for the adjoint convolution and its gradient cropped.
    func testTransposedConvolutionWithOutputPadding() throws {
        for (s, p, op, d) in [(2, 1, 1, 1), (3, 0, 2, 1), (2, 2, 1, 2), (1, 1, 1, 2), (1, 0, 2, 3)] {
            let (n, cin, h, w) = (2, 3, 3, 4)
            let g = try convTransposeGeometry(input: [n, cin, h, w], weight: [cin, 2, 3, 3], bias: [2], stride: s,
                                              padding: p, outputPadding: op, dilation: d)
            let extend = { (x: [Double]) in
                shiftPlanes(x, planes: n * cin, srcHeight: h, srcWidth: w, dstHeight: g.outHeight, dstWidth: g.outWidth,
                            rowShift: 0, colShift: 0)
            }
            let x = randomDoubles(n * cin * h * w, seed: 1), wt = randomDoubles(cin * 2 * 9, seed: 2)
            let b = randomDoubles(2, seed: 3), gy = randomDoubles(g.inputShape.reduce(1, *), seed: 4)
            let grads = convTranspose2dNaiveBackward(gy, extend(x), wt, g)
            let dx = shiftPlanes(grads.dx, planes: n * cin, srcHeight: g.outHeight, srcWidth: g.outWidth, dstHeight: h,
                                 dstWidth: w, rowShift: 0, colShift: 0)
            let what = "convT s\(s) p\(p) op\(op) d\(d)"
            assertGradient(what + " dx", x: x, gy: gy, analytic: dx) { convTranspose2dNaiveForward(extend($0), wt, b, g) }
            assertGradient(what + " dw", x: wt, gy: gy, analytic: grads.dw) { convTranspose2dNaiveForward(extend(x), $0, b, g) }
            assertGradient(what + " db", x: b, gy: gy, analytic: grads.db) { convTranspose2dNaiveForward(extend(x), wt, $0, g) }
        }
    }

    func testDropoutAndDropBlockMasks() {
        let x = randomDoubles(2 * 3 * 20, seed: 5), gy = randomDoubles(x.count, seed: 6)
        let elementMask = randomDoubles(x.count, seed: 7).map { $0 > 0 ? 1.0 : 0 }
        assertGradient("dropout", x: x, gy: gy, analytic: applyKeepMask(gy, mask: elementMask, group: 1, scale: 1 / 0.7)) {
            applyKeepMask($0, mask: elementMask, group: 1, scale: 1 / 0.7)
        }
        let channelMask: [Double] = [1, 0, 1, 1, 0, 1]
        assertGradient("dropout2d", x: x, gy: gy, analytic: applyKeepMask(gy, mask: channelMask, group: 20, scale: 2)) {
            applyKeepMask($0, mask: channelMask, group: 20, scale: 2)
        }
        for bs in [1, 3, 5] {
            let (planes, h, w) = (3, 7, 6)
            let seeds = randomDoubles(planes * (h - bs + 1) * (w - bs + 1), seed: UInt64(8 + bs)).map { $0 > 0.5 ? 1.0 : 0 }
            let x = randomDoubles(planes * h * w, seed: 9), gy = randomDoubles(x.count, seed: 10)
            let forward = dropBlockForward(x, seeds: seeds, planes: planes, height: h, width: w, blockSize: bs, eps: 1e-6)
            XCTAssertTrue(forward.keep.contains(0), "bs \(bs): some block is dropped")
            assertGradient("dropblock bs \(bs)", x: x, gy: gy,
                           analytic: dropBlockBackward(gy, keep: forward.keep, scale: forward.scale)) {
                dropBlockForward($0, seeds: seeds, planes: planes, height: h, width: w, blockSize: bs, eps: 1e-6).y
            }
        }
    }

    func testChannelReductionsAndGlobalAveragePooling() {
        let (n, c, plane) = (2, 4, 6)
        let x = randomDoubles(n * c * plane, seed: 11), gy = randomDoubles(n * plane, seed: 12)
        assertGradient("channel mean", x: x, gy: gy,
                       analytic: channelMeanBackward(gy, batch: n, channels: c, plane: plane)) {
            channelMeanForward($0, batch: n, channels: c, plane: plane)
        }
        let argmax = channelMaxForward(x, batch: n, channels: c, plane: plane).argmax
        assertGradient("channel max", x: x, gy: gy,
                       analytic: channelMaxBackward(gy, argmax: argmax, batch: n, channels: c, plane: plane)) {
            channelMaxForward($0, batch: n, channels: c, plane: plane).y
        }
        let gp = randomDoubles(n * c, seed: 13)
        assertGradient("global average pool", x: x, gy: gp, analytic: globalAveragePoolBackward(gp, planes: n * c, plane: plane)) {
            globalAveragePoolForward($0, planes: n * c, plane: plane)
        }
    }

    func testLinear() {
        let (n, i, o) = (3, 5, 4)
        let x = randomDoubles(n * i, seed: 14), w = randomDoubles(o * i, seed: 15), b = randomDoubles(o, seed: 16)
        let gy = randomDoubles(n * o, seed: 17)
        let g = linearBackward(gy, x, w, batch: n, inFeatures: i, outFeatures: o)
        assertGradient("linear dx", x: x, gy: gy, analytic: g.dx) { linearForward($0, w, b, batch: n, inFeatures: i, outFeatures: o) }
        assertGradient("linear dw", x: w, gy: gy, analytic: g.dw) { linearForward(x, $0, b, batch: n, inFeatures: i, outFeatures: o) }
        assertGradient("linear db", x: b, gy: gy, analytic: g.db) { linearForward(x, w, $0, batch: n, inFeatures: i, outFeatures: o) }
    }

    func testBroadcastMultiply() throws {
        for (a, b) in [([2, 3, 4, 5], [2, 1, 4, 5]), ([2, 3, 4, 5], [2, 3, 1, 1]), ([2, 1, 4, 5], [2, 3, 1, 1]),
                       ([1, 3, 1, 5], [2, 3, 4, 5]), ([2, 3], [2, 3])] {
            let g = try BroadcastGeometry(a, b)
            let xa = randomDoubles(a.reduce(1, *), seed: 18), xb = randomDoubles(b.reduce(1, *), seed: 19)
            let gy = randomDoubles(g.count, seed: 20)
            let grads = broadcastMultiplyBackward(gy, xa, xb, g)
            assertGradient("mul \(a)·\(b) da", x: xa, gy: gy, analytic: grads.da) { broadcastMultiplyForward($0, xb, g) }
            assertGradient("mul \(a)·\(b) db", x: xb, gy: gy, analytic: grads.db) { broadcastMultiplyForward(xa, $0, g) }
        }
    }

    /// x · sigmoid(conv(cat[mean_c x, max_c x])): the chain of kernel backwards autograd runs.
    func testSpatialAttentionChain() throws {
        let (n, c, h, w) = (2, 3, 5, 4)
        for k in [3, 7] {
            let g = ConvGeometry(batch: n, inChannels: 2, height: h, width: w, outChannels: 1, kernelHeight: k,
                                 kernelWidth: k, stride: 1, padding: k / 2)
            let bg = try BroadcastGeometry([n, c, h, w], [n, 1, h, w])
            func forward(_ x: [Double], _ wt: [Double]) -> (y: [Double], m: [Double], a: [Double], argmax: [Int32]) {
                let mean = channelMeanForward(x, batch: n, channels: c, plane: h * w)
                let (mx, argmax) = channelMaxForward(x, batch: n, channels: c, plane: h * w)
                let m = concatChannelsForward([mean, mx], channels: [1, 1], batch: n, plane: h * w)
                let a = sigmoidForward(conv2dNaiveForward(m, wt, nil, g))
                return (broadcastMultiplyForward(x, a, bg), m, a, argmax)
            }
            let x = randomDoubles(n * c * h * w, seed: 21), wt = randomDoubles(2 * k * k, seed: 22)
            let gy = randomDoubles(x.count, seed: 23)
            let f = forward(x, wt)
            let (dxDirect, da) = broadcastMultiplyBackward(gy, x, f.a, bg)
            let conv = conv2dNaiveBackward(sigmoidBackward(da, output: f.a), f.m, wt, g)
            let parts = concatChannelsBackward(conv.dx, channels: [1, 1], batch: n, plane: h * w)
            let dx = add(add(dxDirect, channelMeanBackward(parts[0], batch: n, channels: c, plane: h * w)),
                         channelMaxBackward(parts[1], argmax: f.argmax, batch: n, channels: c, plane: h * w))
            assertGradient("spatial attention k\(k) dx", x: x, gy: gy, analytic: dx) { forward($0, wt).y }
            assertGradient("spatial attention k\(k) dw", x: wt, gy: gy, analytic: conv.dw) { forward(x, $0).y }
        }
    }

    /// x · sigmoid(W₂ relu(W₁ avgpool(x))): the chain of kernel backwards autograd runs.
    func testSqueezeExcitationChain() throws {
        let (n, c, h, w, hidden) = (2, 8, 3, 4, 2)
        let bg = try BroadcastGeometry([n, c, h, w], [n, c, 1, 1])
        func forward(_ x: [Double], _ w1: [Double], _ w2: [Double]) -> (y: [Double], s: [Double], r: [Double], e: [Double]) {
            let s = globalAveragePoolForward(x, planes: n * c, plane: h * w)
            let r = reluForward(linearForward(s, w1, nil, batch: n, inFeatures: c, outFeatures: hidden))
            let e = sigmoidForward(linearForward(r, w2, nil, batch: n, inFeatures: hidden, outFeatures: c))
            return (broadcastMultiplyForward(x, e, bg), s, r, e)
        }
        let x = randomDoubles(n * c * h * w, seed: 24), w1 = randomDoubles(hidden * c, seed: 25)
        let w2 = randomDoubles(c * hidden, seed: 26), gy = randomDoubles(x.count, seed: 27)
        let f = forward(x, w1, w2)
        XCTAssertTrue(f.r.contains { $0 > 0 }, "some bottleneck unit is active")
        let (dxDirect, de) = broadcastMultiplyBackward(gy, x, f.e, bg)
        let second = linearBackward(sigmoidBackward(de, output: f.e), f.r, w2, batch: n, inFeatures: hidden, outFeatures: c)
        let first = linearBackward(reluBackward(second.dx, output: f.r), f.s, w1, batch: n, inFeatures: c, outFeatures: hidden)
        let dx = add(dxDirect, globalAveragePoolBackward(first.dx, planes: n * c, plane: h * w))
        assertGradient("SE dx", x: x, gy: gy, analytic: dx) { forward($0, w1, w2).y }
        assertGradient("SE dw1", x: w1, gy: gy, analytic: first.dw) { forward(x, $0, w2).y }
        assertGradient("SE dw2", x: w2, gy: gy, analytic: second.dw) { forward(x, w1, $0).y }
    }
}
