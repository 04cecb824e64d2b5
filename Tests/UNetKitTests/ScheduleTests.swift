import XCTest
import TestSupport
@testable import UNetKit

/// StepLR and CosineAnnealingLR against torch.optim.lr_scheduler, epoch by epoch.
final class ScheduleTests: XCTestCase {
    /// The optimiser holds lr in Float, PyTorch in Double: lr₀ differs by < 1e-7 relative.
    private func assertSchedule(_ schedule: LearningRateScheduler, _ optimizer: Optimizer, expected: [Double],
                                file: StaticString = #filePath, line: UInt = #line) {
        for (epoch, lr) in expected.enumerated() {
            if epoch > 0 { schedule.step() }
            XCTAssertEqual(schedule.lastEpoch, epoch, file: file, line: line)
            XCTAssertEqual(schedule.learningRate, lr, accuracy: 1e-7 * lr + 1e-15, "epoch \(epoch)", file: file, line: line)
            XCTAssertEqual(optimizer.learningRate, Float(schedule.learningRate), file: file, line: line)
        }
    }

    func testStepLRMatchesPyTorch() throws {
        let sgd = SGD([Variable(Tensor(zeros: [1]), requiresGrad: true)], lr: 0.1)
        let expected = try TrainingFixtures.doubles("steplr.lrs")
        XCTAssertEqual(expected.count, 13)
        let schedule = try StepLR(sgd, stepSize: 3, gamma: 0.9)
        try assertSchedule(schedule, sgd, expected: expected)
        // The closed form lr₀·γ^⌊e/step⌋ agrees with the recursion.
        for (epoch, lr) in expected.enumerated() {
            XCTAssertEqual(schedule.closedFormLearningRate(epoch: epoch), lr, accuracy: 1e-7 * lr, "epoch \(epoch)")
        }
    }

    func testCosineAnnealingMatchesPyTorchPastTMax() throws {
        let sgd = SGD([Variable(Tensor(zeros: [1]), requiresGrad: true)], lr: 0.05)
        let expected = try TrainingFixtures.doubles("cosine.lrs")
        XCTAssertEqual(expected.count, 18)
        let cosine = try CosineAnnealingLR(sgd, tMax: 5, etaMin: 0.001)
        try assertSchedule(cosine, sgd, expected: expected)
        // The closed form agrees with the recursion PyTorch steps with, before and after T_max.
        for (epoch, lr) in expected.enumerated() {
            XCTAssertEqual(cosine.closedFormLearningRate(epoch: epoch), lr, accuracy: 1e-7 * lr + 1e-15, "epoch \(epoch)")
        }
    }

    func testInvalidSettingsThrow() {
        let sgd = SGD([Variable(Tensor(zeros: [1]), requiresGrad: true)], lr: 0.1)
        XCTAssertThrowsError(try StepLR(sgd, stepSize: 0)) { XCTAssertTrue("\($0)".contains("step_size must be ≥ 1, but got 0")) }
        XCTAssertThrowsError(try CosineAnnealingLR(sgd, tMax: 0)) { XCTAssertTrue("\($0)".contains("T_max must be ≥ 1")) }
    }
}
