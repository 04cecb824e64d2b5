import Foundation

/// A learning-rate schedule stepped once per epoch, as PyTorch's `torch.optim.lr_scheduler`:
///
///     let schedule = try StepLR(optimizer, stepSize: 20, gamma: 0.9)
///     for epoch in 0..<epochs {
///         train one epoch …
///         schedule.step()            // sets optimizer.learningRate for the next epoch
///     }
///
/// Creating a schedule is its epoch 0 (PyTorch's constructor takes the first step); the
/// learning rate is tracked in Double, as PyTorch's Python floats are, and written to the
/// optimiser (Float) after each step.
public protocol LearningRateScheduler: AnyObject {
    /// Epochs stepped so far (PyTorch's `last_epoch`), 0 after creation.
    var lastEpoch: Int { get }
    /// The learning rate for the current epoch (PyTorch's `get_last_lr()[0]`).
    var learningRate: Double { get }
    /// Advances one epoch and updates the optimiser's learning rate.
    func step()
    /// Epoch, learning rates and settings as text (`schedule` names the type).
    func schedulerState() -> [String: String]
    /// Restores `schedulerState()`; throws, changing nothing, for another type or other settings.
    func loadSchedulerState(_ state: [String: String]) throws
}

/// lr = lr₀ · γ^⌊epoch / stepSize⌋, PyTorch's `StepLR`, computed as PyTorch does: the current
/// learning rate times γ at every epoch that is a multiple of `stepSize`.
public final class StepLR: LearningRateScheduler {
    public let optimizer: Optimizer
    public let stepSize: Int
    public let gamma: Double
    /// lr₀: the optimiser's learning rate when the schedule was made.
    public let baseLearningRate: Double
    public private(set) var lastEpoch = 0
    public private(set) var learningRate: Double

    public init(_ optimizer: Optimizer, stepSize: Int, gamma: Double = 0.1) throws {
        guard stepSize >= 1 else { throw ShapeError("StepLR: step_size must be ≥ 1, but got \(stepSize)") }
        guard gamma.isFinite && gamma >= 0 else { throw ShapeError("StepLR: gamma must be a finite number ≥ 0, but got \(gamma)") }
        self.optimizer = optimizer
        self.stepSize = stepSize
        self.gamma = gamma
        baseLearningRate = Double(optimizer.learningRate)
        learningRate = baseLearningRate
    }

    /// lr₀ · γ^⌊epoch / stepSize⌋ directly (for plotting a schedule ahead of time); equal to
    /// what `step()` reaches at that epoch up to rounding.
    public func closedFormLearningRate(epoch: Int) -> Double {
        baseLearningRate * Foundation.pow(gamma, Double(epoch / stepSize))
    }

    public func step() {
        lastEpoch += 1
        if lastEpoch % stepSize == 0 { learningRate *= gamma }
        optimizer.learningRate = Float(learningRate)
    }

    public func schedulerState() -> [String: String] {
        ["schedule": "StepLR", "step_size": "\(stepSize)", "gamma": "\(gamma)", "base_lr": "\(baseLearningRate)",
         "last_epoch": "\(lastEpoch)", "lr": "\(learningRate)"]
    }

    public func loadSchedulerState(_ state: [String: String]) throws {
        (lastEpoch, learningRate) = try SchedulerStateCheck.progress(
            state, matching: schedulerState(), settings: ["schedule", "step_size", "gamma", "base_lr"])
        optimizer.learningRate = Float(learningRate)
    }
}

/// Cosine annealing from lr₀ down to η_min over `tMax` epochs, PyTorch's `CosineAnnealingLR`,
/// with its recursive update (which is what PyTorch's `step()` computes):
///
///     lr_e = η_min + (lr_{e−1} − η_min) · (1 + cos(π·e/T)) / (1 + cos(π·(e−1)/T))
///     lr_e = lr_{e−1} + (lr₀ − η_min) · (1 − cos(π/T)) / 2     when (e − 1 − T) mod 2T = 0
///
/// Left alone it follows η_min + (lr₀ − η_min)·(1 + cos(π·e/T))/2, and past T it rises again
/// (a cosine of period 2T) — it does not stay at η_min.
public final class CosineAnnealingLR: LearningRateScheduler {
    public let optimizer: Optimizer
    public let tMax: Int
    public let etaMin: Double
    public let baseLearningRate: Double
    public private(set) var lastEpoch = 0
    public private(set) var learningRate: Double

    public init(_ optimizer: Optimizer, tMax: Int, etaMin: Double = 0) throws {
        guard tMax >= 1 else { throw ShapeError("CosineAnnealingLR: T_max must be ≥ 1, but got \(tMax)") }
        guard etaMin.isFinite else { throw ShapeError("CosineAnnealingLR: eta_min must be finite, but got \(etaMin)") }
        self.optimizer = optimizer
        self.tMax = tMax
        self.etaMin = etaMin
        baseLearningRate = Double(optimizer.learningRate)
        learningRate = baseLearningRate
    }

    /// η_min + (lr₀ − η_min)·(1 + cos(π·epoch/T))/2 directly (for plotting a schedule ahead of
    /// time); equal to what `step()` reaches at that epoch up to rounding.
    public func closedFormLearningRate(epoch: Int) -> Double {
        etaMin + (baseLearningRate - etaMin) * (1 + cos(Double.pi * Double(epoch) / Double(tMax))) / 2
    }

    public func step() {
        lastEpoch += 1
        let (e, t) = (Double(lastEpoch), Double(tMax))
        let period = 2 * tMax
        if ((lastEpoch - 1 - tMax) % period + period) % period == 0 {
            learningRate = learningRate + (baseLearningRate - etaMin) * (1 - cos(Double.pi / t)) / 2
        } else {
            learningRate = (1 + cos(Double.pi * e / t)) / (1 + cos(Double.pi * (e - 1) / t))
                * (learningRate - etaMin) + etaMin
        }
        optimizer.learningRate = Float(learningRate)
    }

    public func schedulerState() -> [String: String] {
        ["schedule": "CosineAnnealingLR", "T_max": "\(tMax)", "eta_min": "\(etaMin)", "base_lr": "\(baseLearningRate)",
         "last_epoch": "\(lastEpoch)", "lr": "\(learningRate)"]
    }

    public func loadSchedulerState(_ state: [String: String]) throws {
        (lastEpoch, learningRate) = try SchedulerStateCheck.progress(
            state, matching: schedulerState(), settings: ["schedule", "T_max", "eta_min", "base_lr"])
        optimizer.learningRate = Float(learningRate)
    }
}

enum SchedulerStateCheck {
    static func require(_ state: [String: String], _ key: String, _ expected: String) throws {
        guard let found = state[key] else { throw CheckpointError("schedule state: \(key) is missing (expected \(expected))") }
        guard found == expected else {
            throw CheckpointError("schedule state: saved with \(key) = \(found), but this schedule has \(key) = \(expected)")
        }
    }

    /// last_epoch and lr of a saved `state` (a Double written with all its digits, so it
    /// round-trips exactly), after checking that its `settings` equal this schedule's (`current`).
    static func progress(_ state: [String: String], matching current: [String: String],
                         settings: [String]) throws -> (Int, Double) {
        for key in settings { try require(state, key, current[key]!) }
        guard let e = state["last_epoch"].flatMap({ Int($0) }), e >= 0,
              let lr = state["lr"].flatMap({ Double($0) }) else {
            throw CheckpointError("schedule state: last_epoch or lr is missing or not a number")
        }
        return (e, lr)
    }
}
