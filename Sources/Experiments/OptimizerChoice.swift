import UNetKit

/// `--optimizer`: SGD (momentum 0.9), Adam or AdamW (weight decay 0.01), with `--lr`.
public enum OptimizerChoice: String, Sendable, CaseIterable {
    case sgd, adam, adamw

    public func make(_ parameters: [Variable], learningRate: Float) throws -> Optimizer {
        switch self {
        case .sgd: SGD(parameters, lr: learningRate, momentum: 0.9)
        case .adam: try Adam(parameters, lr: learningRate)
        case .adamw: try AdamW(parameters, lr: learningRate)
        }
    }
}

/// `--schedule`: the learning rate per epoch — constant, ×`gamma` every `stepSize` epochs
/// (`StepLR`), or a half cosine from `--lr` to 0 over the run's epochs (`CosineAnnealingLR`).
public enum ScheduleChoice: String, Sendable, CaseIterable {
    case none, step, cosine

    public func make(_ optimizer: Optimizer, epochs: Int, stepSize: Int, gamma: Double) throws -> LearningRateScheduler? {
        switch self {
        case .none: nil
        case .step: try StepLR(optimizer, stepSize: stepSize, gamma: gamma)
        case .cosine: try CosineAnnealingLR(optimizer, tMax: epochs)
        }
    }
}
