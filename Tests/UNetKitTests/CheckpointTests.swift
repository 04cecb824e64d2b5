import Foundation
import XCTest
import TestSupport
@testable import UNetKit

/// Saving and resuming a run: model, optimiser state, schedule and early stopping through one
/// safetensors file; a resumed run must give bit-identical parameters to an uninterrupted one.
final class CheckpointTests: XCTestCase {
    private func makeNet() -> Sequential {
        Sequential(Conv2d(1, 3, kernelSize: 3, padding: 1), BatchNorm2d(3), ReLU(), Conv2d(3, 1, kernelSize: 1))
    }

    /// The batch of global step s (the same for both runs).
    private func batch(_ s: Int) -> (Tensor, Tensor) {
        let x = randomTensor([2, 1, 5, 6], seed: 1000 + UInt64(s))
        let y = Tensor(shape: [2, 1, 5, 6]) { i in x[i[0], 0, i[2], i[3]] > 0.2 ? 1 : 0 }
        return (x, y)
    }

    private func epoch(_ e: Int, _ net: Module, _ optimizer: Optimizer) throws -> Float {
        var last: Float = 0
        for s in 0..<2 {
            let (x, y) = batch(2 * e + s)
            let logits = try net(Variable(x))
            let loss = try 0.5 * binaryCrossEntropyWithLogits(logits, y) + softDiceLoss(logits.sigmoid(), y)
            optimizer.zeroGrad()
            try loss.backward()
            optimizer.step()
            last = loss.value.scalars[0]
        }
        return last
    }

    private typealias Parts = (net: Module, optimizer: Optimizer, schedule: LearningRateScheduler, stopper: EarlyStopping)

    private func resumeIsBitIdentical(_ name: String, make: () throws -> Parts) throws {
        let template = makeNet()
        func fresh() throws -> Parts {
            let parts = try make()
            try parts.net.loadStateDict(Dictionary(uniqueKeysWithValues: template.stateDict().map { ($0.name, $0.tensor) }))
            return parts
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(name)-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }

        let straight = try fresh()
        for e in 0..<6 {
            straight.stopper.update(try epoch(e, straight.net, straight.optimizer), model: straight.net)
            straight.schedule.step()
        }
        let first = try fresh()
        for e in 0..<3 {
            first.stopper.update(try epoch(e, first.net, first.optimizer), model: first.net)
            first.schedule.step()
        }
        try TrainingCheckpoint.save(to: url, model: first.net, optimizer: first.optimizer, scheduler: first.schedule,
                                    earlyStopping: first.stopper)
        let resumed = try make()   // other random weights, empty state: everything comes from the file
        try TrainingCheckpoint.load(from: url, model: resumed.net, optimizer: resumed.optimizer,
                                    scheduler: resumed.schedule, earlyStopping: resumed.stopper)
        for e in 3..<6 {
            resumed.stopper.update(try epoch(e, resumed.net, resumed.optimizer), model: resumed.net)
            resumed.schedule.step()
        }
        for ((key, a), (_, b)) in zip(straight.net.stateDict(), resumed.net.stateDict()) {
            XCTAssertEqual(a.scalars, b.scalars, "\(name): \(key) differs after resuming")
        }
        XCTAssertEqual(straight.optimizer.learningRate, resumed.optimizer.learningRate, name)
        XCTAssertEqual(straight.schedule.learningRate, resumed.schedule.learningRate, name)
        XCTAssertEqual(straight.stopper.best, resumed.stopper.best, name)
        XCTAssertEqual(straight.stopper.bestCheck, resumed.stopper.bestCheck, name)
        func kept(_ s: EarlyStopping) -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: (s.bestWeights ?? []).map { ($0.name, $0.tensor) })
        }
        XCTAssertFalse(kept(straight.stopper).isEmpty, name)
        XCTAssertEqual(kept(straight.stopper), kept(resumed.stopper), name)
        // And the run did move: the parameters are not where they started.
        XCTAssertNotEqual(template.stateDict().map(\.tensor), resumed.net.stateDict().map(\.tensor))
    }

    func testAdamWithStepLRResumesBitIdentically() throws {
        try resumeIsBitIdentical("adam") {
            let net = makeNet()
            let adam = try Adam(net.parameters(), lr: 0.01, weightDecay: 1e-4)
            return (net, adam, try StepLR(adam, stepSize: 2, gamma: 0.5), try EarlyStopping(patience: 5))
        }
    }

    func testAdamWWithCosineResumesBitIdentically() throws {
        try resumeIsBitIdentical("adamw") {
            let net = makeNet()
            let adamw = try AdamW(net.parameters(), lr: 0.02)
            return (net, adamw, try CosineAnnealingLR(adamw, tMax: 4, etaMin: 1e-4), try EarlyStopping(mode: .min, minDelta: 1e-3))
        }
    }

    func testSGDWithMomentumResumesBitIdentically() throws {
        try resumeIsBitIdentical("sgd") {
            let net = makeNet()
            let sgd = SGD(net.parameters(), lr: 0.05, momentum: 0.9, weightDecay: 5e-4)
            return (net, sgd, try StepLR(sgd, stepSize: 1, gamma: 0.9), try EarlyStopping(patience: 2))
        }
    }

    func testMismatchedStateThrowsClearErrors() throws {
        let net = makeNet()
        let adam = try Adam(net.parameters(), lr: 0.01)
        net.parameters().forEach { $0.grad = Tensor(repeating: 0.1, shape: $0.shape) }
        adam.step()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-bad-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try TrainingCheckpoint.save(to: url, model: net, optimizer: adam)

        let sgd = SGD(net.parameters(), lr: 0.01)
        XCTAssertThrowsError(try TrainingCheckpoint.load(from: url, model: net, optimizer: sgd)) {
            XCTAssertTrue("\($0)".contains("saved with optimizer = Adam, but this optimizer has optimizer = SGD"), "\($0)")
        }
        let otherBetas = try Adam(net.parameters(), lr: 0.01, betas: (0.5, 0.999))
        XCTAssertThrowsError(try TrainingCheckpoint.load(from: url, model: net, optimizer: otherBetas)) {
            XCTAssertTrue("\($0)".contains("betas"), "\($0)")
        }
        let schedule = try StepLR(adam, stepSize: 3)
        XCTAssertThrowsError(try TrainingCheckpoint.load(from: url, model: net, optimizer: adam, scheduler: schedule)) {
            XCTAssertTrue("\($0)".contains("no learning-rate schedule state"), "\($0)")
        }
        let smaller = Sequential(Conv2d(1, 2, kernelSize: 3, padding: 1))
        let smallerAdam = try Adam(smaller.parameters(), lr: 0.01)
        XCTAssertThrowsError(try TrainingCheckpoint.load(from: url, model: smaller, optimizer: smallerAdam)) {
            XCTAssertTrue("\($0)".contains("Missing key(s)") || "\($0)".contains("size mismatch"), "\($0)")
        }
        // The optimiser's buffers are checked against its own parameters.
        let (tensors, settings) = adam.optimizerState()
        var wrong = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.entry.tensor) })
        wrong["state.0.exp_avg"] = Tensor(zeros: [7])
        XCTAssertThrowsError(try adam.loadOptimizerState(tensors: wrong, settings: settings)) {
            XCTAssertTrue("\($0)".contains("state.0.exp_avg has shape [7]"), "\($0)")
        }
    }
}
