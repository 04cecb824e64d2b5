import XCTest
import TestSupport
import UNetKit

/// Checks a seed network against its PyTorch twin (`Fixtures/seed_networks.py`, fixtures by
/// `Fixtures/make_network_fixtures.py`): loads `<name>.state.*` strictly, compares the
/// evaluation-mode output, then the training-mode output (BatchNorm batch statistics,
/// DropBlock p = 0) and the gradients of `y.backward(gy)` stored for the parameters.
func assertMatchesPyTorchTwin(_ name: String, _ model: Module, file: StaticString = #filePath, line: UInt = #line) throws {
    try model.loadStateDict(try NetworkFixtures.stateDict("\(name).state."))
    let x = try NetworkFixtures.tensor("\(name).x")
    model.eval()
    let yEval = try withoutGradients { try model(Variable(x)) }
    assertClose(yEval.value, try NetworkFixtures.tensor("\(name).eval.y"), .network, "\(name) eval y", file: file, line: line)

    model.train()
    model.zeroGrad()
    let y = try model(Variable(x))
    assertClose(y.value, try NetworkFixtures.tensor("\(name).train.y"), .network, "\(name) train y", file: file, line: line)
    try y.backward(gradient: try NetworkFixtures.tensor("\(name).train.gy"))
    let expected = try NetworkFixtures.stateDict("\(name).train.grad.")
    XCTAssertGreaterThan(expected.count, 5, "\(name): gradients in the fixture", file: file, line: line)
    let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters())
    for (key, reference) in expected.sorted(by: { $0.key < $1.key }) {
        guard let parameter = parameters[key] else { XCTFail("\(name): no parameter \(key)", file: file, line: line); continue }
        guard let grad = parameter.grad else { XCTFail("\(name): no gradient for \(key)", file: file, line: line); continue }
        assertClose(grad, reference, .network, "\(name) d\(key)", file: file, line: line)
    }
}

/// The full-width parameter count the fixture script computed with PyTorch (`params.<key>`).
func pyTorchParameterCount(_ key: String) throws -> Int {
    Int(try NetworkFixtures.doubles("params.\(key)")[0])
}
