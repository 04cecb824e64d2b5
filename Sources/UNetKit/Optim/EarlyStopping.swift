/// Early stopping with PyTorch Lightning's rule, keeping the best weights.
///
/// After each validation, `update(value, model:)`:
///
///     improvement  ⇔  value < best − minDelta   (mode .min, e.g. a loss)
///                     value > best + minDelta   (mode .max, e.g. Dice or AUC)
///     improvement:     best = value, wait = 0, the model's state is copied (`bestWeights`)
///     otherwise:       wait += 1; stop once wait ≥ patience
///
/// best starts at +∞ (.min) or −∞ (.max), so the first finite value is always an improvement.
/// The comparison is strict: a value exactly minDelta better is not an improvement. A NaN or
/// infinite value stops at once (Lightning's check_finite). `restoreBestWeights(into:)` puts the
/// kept state back.
///
///     let stopper = try EarlyStopping(mode: .min, patience: 5)
///     for epoch in 0..<epochs {
///         train …; let loss = validation loss
///         if stopper.update(loss, model: net) { break }
///     }
///     try stopper.restoreBestWeights(into: net)
public final class EarlyStopping {
    public enum Mode: String, Sendable { case min, max }

    public let mode: Mode
    /// The margin an improvement must exceed (its absolute value is used, as Lightning does).
    public let minDelta: Float
    /// Checks without improvement after which training should stop.
    public let patience: Int
    /// The best value so far (±∞ before the first check).
    public private(set) var best: Float
    /// Checks since the last improvement.
    public private(set) var wait = 0
    /// Checks so far, and the 0-based check that gave `best` (nil before the first improvement).
    public private(set) var checks = 0
    public private(set) var bestCheck: Int?
    /// True once the rule says stop.
    public private(set) var shouldStop = false
    /// The model's parameters and buffers at the best check (PyTorch state_dict names).
    public private(set) var bestWeights: [(name: String, tensor: Tensor)]?

    public init(mode: Mode = .min, minDelta: Float = 0, patience: Int = 3) throws {
        guard patience >= 0 else { throw ShapeError("EarlyStopping: patience must be ≥ 0, but got \(patience)") }
        guard minDelta.isFinite else { throw ShapeError("EarlyStopping: min_delta must be finite, but got \(minDelta)") }
        self.mode = mode
        self.minDelta = abs(minDelta)
        self.patience = patience
        best = mode == .min ? .infinity : -.infinity
    }

    /// Whether `value` improves on `best` by more than `minDelta`.
    public func isImprovement(_ value: Float) -> Bool {
        mode == .min ? value + minDelta < best : value - minDelta > best
    }

    /// Records one validation value; copies `model`'s state when it is the best so far.
    /// - Returns: `shouldStop`.
    @discardableResult
    public func update(_ value: Float, model: Module? = nil) -> Bool {
        defer { checks += 1 }
        guard value.isFinite else {
            shouldStop = true
            return true
        }
        if isImprovement(value) {
            best = value
            wait = 0
            bestCheck = checks
            if let model { bestWeights = model.stateDict() }
        } else {
            wait += 1
            if wait >= patience { shouldStop = true }
        }
        return shouldStop
    }

    /// Loads the kept best weights into `model` (strict, as `loadStateDict`).
    /// - Throws: `CheckpointError` when no weights were kept; `StateDictError` when they do not fit.
    public func restoreBestWeights(into model: Module) throws {
        guard let bestWeights else {
            throw CheckpointError("EarlyStopping has no best weights to restore: no check improved yet, "
                                  + "or update(_:model:) was called without a model")
        }
        try model.loadStateDict(Dictionary(uniqueKeysWithValues: bestWeights.map { ($0.name, $0.tensor) }))
    }

    /// The counters as text and the best weights, for a checkpoint.
    func stoppingState() -> (tensors: [(name: String, entry: SafeTensors.Entry)], settings: [String: String]) {
        let settings = ["mode": mode.rawValue, "min_delta": "\(minDelta)", "patience": "\(patience)",
                        "best": "\(best)", "wait": "\(wait)", "checks": "\(checks)",
                        "best_check": bestCheck.map { "\($0)" } ?? "none", "should_stop": "\(shouldStop)"]
        let tensors = (bestWeights ?? []).map { (name: "best." + $0.name, entry: SafeTensors.Entry($0.tensor)) }
        return (tensors, settings)
    }

    func loadStoppingState(tensors: [String: Tensor], settings: [String: String]) throws {
        for (key, value) in [("mode", mode.rawValue), ("min_delta", "\(minDelta)"), ("patience", "\(patience)")] {
            guard settings[key] == value else {
                throw CheckpointError("early stopping state: saved with \(key) = \(settings[key] ?? "nil"), "
                                      + "but this EarlyStopping has \(key) = \(value)")
            }
        }
        guard let best = settings["best"].flatMap({ Float($0) }), let wait = settings["wait"].flatMap({ Int($0) }),
              let checks = settings["checks"].flatMap({ Int($0) }), let stop = settings["should_stop"].flatMap({ Bool($0) }),
              let bestCheckText = settings["best_check"] else {
            throw CheckpointError("early stopping state: best, wait, checks, best_check or should_stop is missing")
        }
        let weights = tensors.filter { $0.key.hasPrefix("best.") }
            .map { (name: String($0.key.dropFirst(5)), tensor: $0.value) }.sorted { $0.name < $1.name }
        (self.best, self.wait, self.checks, self.shouldStop) = (best, wait, checks, stop)
        bestCheck = Int(bestCheckText)
        bestWeights = weights.isEmpty ? nil : weights
    }
}
