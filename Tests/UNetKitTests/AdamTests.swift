import XCTest
import TestSupport
@testable import UNetKit

/// Adam and AdamW against torch.optim: three parameter tensors, given gradients (parameter 2
/// has none at step 1 and so starts its own step count later), parameters compared after
/// every one of six steps.
final class AdamTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try TrainingFixtures.tensor(name) }

    /// The settings of each case in make_training_fixtures.py's adam_cases.
    private let cases: [(name: String, make: ([Variable]) throws -> Adam)] = [
        ("adam.default", { try Adam($0, lr: 1e-3) }),
        ("adam.l2", { try Adam($0, lr: 0.01, betas: (0.8, 0.99), eps: 1e-6, weightDecay: 0.1) }),
        ("adamw.default", { try AdamW($0, lr: 1e-2) }),
        ("adamw.wd", { try AdamW($0, lr: 0.05, betas: (0.9, 0.95), weightDecay: 0.3) }),
        ("adam.small_grads", { try Adam($0, lr: 0.1, eps: 1e-6) }),
    ]

    func testAdamAndAdamWMatchPyTorchStepByStep() throws {
        for (name, make) in cases {
            let params = try (0..<3).map { Variable(try f("\(name).p\($0).step0"), requiresGrad: true) }
            let optimizer = try make(params)
            for step in 1...6 {
                for (k, p) in params.enumerated() { p.grad = try TrainingFixtures.file()["\(name).g\(k).step\(step)"] }
                optimizer.step()
                for (k, p) in params.enumerated() {
                    assertClose(p.value, try f("\(name).p\(k).step\(step)"), .op, "\(name) parameter \(k) after step \(step)")
                }
            }
            XCTAssertEqual(optimizer.steps, [6, 6, 5], name)
        }
    }

    func testAdamUnderStepLRMatchesPyTorch() throws {
        let w = Variable(try f("adam_steplr.p.step0"), requiresGrad: true)
        let adam = try Adam([w], lr: 0.02)
        let schedule = try StepLR(adam, stepSize: 2, gamma: 0.5)
        for step in 1...6 {
            w.grad = try f("adam_steplr.g.step\(step)")
            adam.step()
            schedule.step()
            assertClose(w.value, try f("adam_steplr.p.step\(step)"), .op, "after step \(step)")
        }
        XCTAssertEqual(adam.learningRate, 0.02 * 0.125, accuracy: 1e-9)
    }

    /// A small network (conv 3×3 → ReLU → conv 1×1) trained three steps with
    /// 0.5·BCE-with-logits + soft Dice + focal loss under Adam and StepLR, against PyTorch:
    /// the loss and every parameter after each step.
    func testSmallModelWithCombinedLossMatchesPyTorch() throws {
        let net = Sequential(Conv2d(1, 3, kernelSize: 3, padding: 1), ReLU(), Conv2d(3, 1, kernelSize: 1))
        func weights(_ prefix: String) throws -> [String: Tensor] {
            try Dictionary(uniqueKeysWithValues: net.stateDict().map { ($0.name, try f(prefix + $0.name)) })
        }
        try net.loadStateDict(try weights("model.init."))
        let (x, y) = (try f("model.x"), try f("model.y"))
        let adam = try Adam(net.parameters(), lr: 0.05)
        let schedule = try StepLR(adam, stepSize: 1, gamma: 0.5)
        for step in 1...3 {
            adam.zeroGrad()
            let logits = try net(Variable(x))
            let loss = try 0.5 * binaryCrossEntropyWithLogits(logits, y) + softDiceLoss(logits.sigmoid(), y)
                + sigmoidFocalLoss(logits, y)
            try loss.backward()
            adam.step()
            schedule.step()
            assertClose(loss.value, try f("model.step\(step).loss"), .network, "loss at step \(step)")
            let expected = try weights("model.step\(step).")
            for (name, value) in net.stateDict() {
                assertClose(value, expected[name]!, .network, "\(name) after step \(step)")
            }
        }
    }

    /// The update in closed form for one scalar, from the definition (not from PyTorch): the
    /// first Adam step moves every coordinate by lr·sign(g) (m̂ = g, v̂ = g², ε negligible).
    func testFirstStepMovesByTheLearningRate() throws {
        let p = Variable(try Tensor(shape: [3], scalars: [1, -2, 0.5]), requiresGrad: true)
        let adam = try Adam([p], lr: 0.1)
        p.grad = try Tensor(shape: [3], scalars: [3, -0.001, 40])
        adam.step()
        assertClose(p.value, try Tensor(shape: [3], scalars: [0.9, -1.9, 0.4]), .op, "first step")
    }

    func testInvalidSettingsThrow() {
        let p = [Variable(Tensor(zeros: [2]), requiresGrad: true)]
        XCTAssertThrowsError(try Adam(p, lr: -1)) { XCTAssertTrue("\($0)".contains("Invalid learning rate: -1")) }
        XCTAssertThrowsError(try Adam(p, betas: (1, 0.999))) { XCTAssertTrue("\($0)".contains("Invalid beta parameter at index 0: 1.0")) }
        XCTAssertThrowsError(try AdamW(p, weightDecay: -0.1)) { XCTAssertTrue("\($0)".contains("Invalid weight_decay value: -0.1")) }
    }
}
