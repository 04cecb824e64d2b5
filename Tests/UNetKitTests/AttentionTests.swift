import XCTest
import TestSupport
@testable import UNetKit

/// The attention blocks and their pieces against PyTorch: channel-wise mean and max, global
/// average pooling, linear, broadcasting multiplication, SpatialAttention, SqueezeExcitation.
final class AttentionTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try LayerFixtures.tensor(name) }

    /// Runs `op` on leaves made from the case's inputs, back-propagates the case's `gy`,
    /// and compares y and every input gradient.
    private func check(_ name: String, inputs: [String], file: StaticString = #filePath, line: UInt = #line,
                       _ op: ([Variable]) throws -> Variable) throws {
        let leaves = try inputs.map { Variable(try f("\(name).\($0)"), requiresGrad: true) }
        let y = try op(leaves)
        assertClose(y.value, try f("\(name).y"), .op, "\(name) y", file: file, line: line)
        try y.backward(gradient: try f("\(name).gy"))
        for (input, leaf) in zip(inputs, leaves) {
            guard let grad = leaf.grad else { XCTFail("\(name): no gradient for \(input)", file: file, line: line); continue }
            assertClose(grad, try f("\(name).g\(input)"), .op, "\(name) d\(input)", file: file, line: line)
        }
    }

    /// A module with the case's parameters (by state_dict name): y, dx and every parameter's gradient.
    private func checkModule(_ name: String, _ module: Module, file: StaticString = #filePath, line: UInt = #line) throws {
        let parameters = module.namedParameters()
        XCTAssertFalse(parameters.isEmpty, file: file, line: line)
        for (key, parameter) in parameters { parameter.value = try f("\(name).param.\(key)") }
        let x = Variable(try f("\(name).x"), requiresGrad: true)
        let y = try module(x)
        assertClose(y.value, try f("\(name).y"), .op, "\(name) y", file: file, line: line)
        try y.backward(gradient: try f("\(name).gy"))
        assertClose(x.grad!, try f("\(name).gx"), .op, "\(name) dx", file: file, line: line)
        for (key, parameter) in parameters {
            assertClose(parameter.grad!, try f("\(name).grad.\(key)"), .op, "\(name) d\(key)", file: file, line: line)
        }
    }

    func testChannelMeanAndMax() throws {
        for c in ["a", "b", "c"] {
            try check("channel_mean.\(c)", inputs: ["x"]) { try meanOverChannels($0[0]) }
            try check("channel_max.\(c)", inputs: ["x"]) { try maxOverChannels($0[0]) }
        }
        // Ties: the first channel holding the maximum gets the gradient.
        let x = Variable(try Tensor(shape: [1, 3, 1, 1], scalars: [2, 5, 5]), requiresGrad: true)
        try maxOverChannels(x).backward(gradient: Tensor(repeating: 1, shape: [1, 1, 1, 1]))
        XCTAssertEqual(x.grad!.scalars, [0, 1, 0])
    }

    func testGlobalAveragePooling() throws {
        for c in ["a", "b", "c"] {
            try check("global_avg_pool.\(c)", inputs: ["x"]) { try AdaptiveAvgPool2d(1)($0[0]) }
        }
        XCTAssertThrowsError(try AdaptiveAvgPool2d(2)(Variable(Tensor(zeros: [1, 1, 4, 4]))))
        XCTAssertThrowsError(try globalAveragePool(Variable(Tensor(zeros: [2, 4]))))
    }

    func testLinear() throws {
        try check("linear.bias", inputs: ["x", "w", "b"]) { try linear($0[0], weight: $0[1], bias: $0[2]) }
        try check("linear.nobias", inputs: ["x", "w"]) { try linear($0[0], weight: $0[1]) }
        let layer = Linear(7, 5)
        XCTAssertEqual(layer.namedParameters().map(\.0), ["weight", "bias"])
        XCTAssertEqual(layer.weight.shape, [5, 7])
        // PyTorch's default initialisation: uniform in ±1/√in.
        let bound = Float(1 / 7.0.squareRoot())
        XCTAssertTrue((layer.weight.value.scalars + layer.bias!.value.scalars).allSatisfy { abs($0) <= bound })
        XCTAssertThrowsError(try layer(Variable(Tensor(zeros: [4, 6])))) { error in
            XCTAssertEqual((error as? ShapeError)?.message,
                           "mat1 and mat2 shapes cannot be multiplied (4x6 and 7x5): linear expected an input with 7 "
                           + "features, but got 6")
        }
        XCTAssertThrowsError(try Linear(-1, 3)(Variable(Tensor(zeros: [1, 1]))))
    }

    func testBroadcastMultiply() throws {
        for c in ["pixel_map", "channel_weights", "same", "both", "left"] {
            try check("broadcast_mul.\(c)", inputs: ["a", "b"]) { try $0[0] * $0[1] }
        }
        XCTAssertThrowsError(try Variable(Tensor(zeros: [2, 3, 4, 5])) * Variable(Tensor(zeros: [2, 2, 4, 5]))) { error in
            XCTAssertEqual((error as? ShapeError)?.message,
                           "The size of tensor a (3) must match the size of tensor b (2) at dimension 1: shapes "
                           + "[2, 3, 4, 5] and [2, 2, 4, 5] do not broadcast")
        }
        XCTAssertThrowsError(try Variable(Tensor(zeros: [2, 3, 4, 5])) * Variable(Tensor(zeros: [3, 1, 1])))
    }

    func testSpatialAttentionMatchesPyTorch() throws {
        let attention = SpatialAttention()
        XCTAssertEqual(attention.namedParameters().map(\.0), ["conv.weight"])
        XCTAssertEqual(attention.conv.weight.shape, [1, 2, 7, 7])
        XCTAssertNil(attention.conv.bias)
        try checkModule("spatial_attention.a", attention)
        try checkModule("spatial_attention.b", SpatialAttention())
        try checkModule("spatial_attention.k3", SpatialAttention(kernelSize: 3))
    }

    func testSqueezeExcitationMatchesPyTorch() throws {
        let se = SqueezeExcitation(32)
        XCTAssertEqual(se.namedParameters().map(\.0), ["fc.0.weight", "fc.2.weight"])
        XCTAssertEqual(se.namedParameters().map(\.1.shape), [[2, 32], [32, 2]])
        try checkModule("se.c32r16", se)
        try checkModule("se.c64r16", SqueezeExcitation(64))
        try checkModule("se.c8r4", SqueezeExcitation(8, reduction: 4))
    }

    /// C/r = 0 (C < r): as PyTorch, weights `[0, C]` and `[C, 0]` that load from PyTorch's
    /// state_dict, and every gate sigmoid(0) = 0.5 (output and input gradient against PyTorch).
    func testSqueezeExcitationWithoutHiddenUnitsMatchesPyTorch() throws {
        let se = SqueezeExcitation(3)
        XCTAssertEqual(se.namedParameters().map(\.1.shape), [[0, 3], [3, 0]])
        try se.loadStateDict(try NetworkFixtures.stateDict("se_c3.state."))
        let x = Variable(try NetworkFixtures.tensor("se_c3.x"), requiresGrad: true)
        XCTAssertTrue(try se.channelWeights(x).value.scalars.allSatisfy { $0 == 0.5 })
        let y = try se(x)
        assertClose(y.value, try NetworkFixtures.tensor("se_c3.y"), .op, "se_c3 y")
        try y.backward(gradient: try NetworkFixtures.tensor("se_c3.gy"))
        assertClose(x.grad!, try NetworkFixtures.tensor("se_c3.gx"), .op, "se_c3 dx")
    }

    /// A wrong channel count and a zero reduction are errors.
    func testSqueezeExcitationBadInput() throws {
        let x = Variable(randomTensor([1, 3, 4, 4], seed: 1))
        XCTAssertThrowsError(try SqueezeExcitation(8, reduction: 0)(x)) { error in
            XCTAssertEqual((error as? ShapeError)?.message,
                           "SqueezeExcitation(8, reduction: 0) needs channels ≥ 1 and reduction ≥ 1")
        }
        XCTAssertThrowsError(try SqueezeExcitation(32)(x)) { error in
            XCTAssertEqual((error as? ShapeError)?.message,
                           "SqueezeExcitation(32) expected input with 32 channels, but got input of shape [1, 3, 4, 4]")
        }
    }

    func testChannelReductionsNeedFourDimensions() {
        XCTAssertThrowsError(try meanOverChannels(Variable(Tensor(zeros: [3, 4, 5]))))
        XCTAssertThrowsError(try maxOverChannels(Variable(Tensor(zeros: [2, 0, 4, 5]))))
        XCTAssertThrowsError(try SpatialAttention()(Variable(Tensor(zeros: [4, 5]))))
    }
}
