import XCTest
import TestSupport
@testable import UNetKit

/// A small network built from the layers — Conv2d, BatchNorm2d, ReLU, MaxPool2d, Conv2d — run
/// through two training steps (sigmoid, flatten, BCE, backward, SGD as the course sets it up)
/// and compared with the same steps in PyTorch: logits, loss, every gradient, the parameters
/// and the BatchNorm running statistics afterwards.
final class ModuleParityTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try OpsFixtures.tensor(name) }

    private func makeNet() -> Sequential {
        Sequential(Conv2d(2, 4, kernelSize: 3, padding: 1), BatchNorm2d(4), ReLU(), MaxPool2d(2),
                   Conv2d(4, 2, kernelSize: 1))
    }

    /// Loads a PyTorch state_dict stored under `prefix` into the network.
    private func load(_ net: Module, prefix: String) throws {
        for (name, p) in net.namedParameters() { p.value = try f(prefix + name) }
        for (module, buffer) in net.namedModules().flatMap({ m in m.1.namedLocalBuffers.map { (m, $0.0) } }) {
            let key = module.0.isEmpty ? buffer : module.0 + "." + buffer
            try module.1.setLocalBuffer(buffer, to: try f(prefix + key))
        }
    }

    func testStateDictNamesMatchPyTorch() throws {
        let net = makeNet()
        let ours = Set(net.namedParameters().map(\.0) + net.namedBuffers().map(\.0))
        let theirs = Set(try OpsFixtures.file().names.filter { $0.hasPrefix("net.init.") }.map { String($0.dropFirst(9)) })
        XCTAssertEqual(ours, theirs)
        XCTAssertEqual(net.parameterCount, 2 * 4 * 9 + 4 + 4 + 4 + 4 * 2 + 2)
    }

    func testTwoTrainingStepsMatchPyTorch() throws {
        let net = makeNet()
        try load(net, prefix: "net.init.")
        let sgd = SGD(net.parameters(), lr: 0.001, momentum: 0.9, weightDecay: 0.0005)
        for step in 1...2 {
            sgd.zeroGrad()
            let logits = try net(Variable(try f("net.step\(step).x")))
            assertClose(logits.value, try f("net.step\(step).logits"), .network, "step \(step) logits")
            let loss = try binaryCrossEntropy(logits.sigmoid().flattened(), try f("net.step\(step).t").flattened())
            assertClose(loss.value, try f("net.step\(step).loss"), .network, "step \(step) loss")
            try loss.backward()
            for (name, p) in net.namedParameters() {
                assertClose(p.grad!, try f("net.step\(step).grad.\(name)"), .network, "step \(step) grad \(name)")
            }
            sgd.step()
        }
        for (name, p) in net.namedParameters() { assertClose(p.value, try f("net.final.\(name)"), .network, name) }
        for (name, b) in net.namedBuffers() { assertClose(b, try f("net.final.\(name)"), .network, name) }
    }

    func testEvalModeUsesRunningStatistics() throws {
        let net = makeNet()
        try load(net, prefix: "net.final.")
        let x = Variable(try f("net.step1.x"))
        let trainOut = try net(x).value
        net.eval()
        XCTAssertFalse(net.layers[1].isTraining)
        let before = (net.layers[1] as! BatchNorm2d).runningMean
        let evalOut = try net(x).value
        XCTAssertEqual((net.layers[1] as! BatchNorm2d).runningMean, before, "eval must not update running stats")
        XCTAssertNotEqual(trainOut, evalOut)
    }

    /// PyTorch's default initialisation bounds: ±1/√fan_in, fan_in from weight dimension 1.
    func testDefaultInitialisationBounds() {
        manualSeed(7)
        let conv = Conv2d(16, 8, kernelSize: 3)
        let bound = 1 / Float(16 * 9).squareRoot()
        XCTAssertLessThanOrEqual(conv.weight.value.scalars.map(abs).max()!, bound)
        XCTAssertGreaterThan(conv.weight.value.scalars.map(abs).max()!, 0.9 * bound)
        let deconv = ConvTranspose2d(16, 8, kernelSize: 2, stride: 2)
        let deconvBound = 1 / Float(8 * 4).squareRoot()
        XCTAssertLessThanOrEqual(deconv.weight.value.scalars.map(abs).max()!, deconvBound)
        XCTAssertGreaterThan(deconv.weight.value.scalars.map(abs).max()!, 0.9 * deconvBound)
        manualSeed(7)
        XCTAssertEqual(Conv2d(16, 8, kernelSize: 3).weight.value, conv.weight.value, "same seed, same weights")
    }
}
