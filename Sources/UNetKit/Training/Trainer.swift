import Foundation

/// The course's training loop (seed 004, section 2.2):
///
///     for each epoch, for each step:
///         x, y = generator(batch)                 # B×H×W×C → transposed to B×C×H×W
///         probs = sigmoid(unet(x)); loss = BCELoss(probs.reshape(-1), y.reshape(-1))
///         optimizer.zero_grad(); loss.backward(); optimizer.step()
///     after each epoch: eval_net on fresh images
public struct TrainingConfiguration: Sendable {
    public var epochs = 5
    public var stepsPerEpoch = 50
    public var batchSize = 4
    public var learningRate: Float = 0.001
    public var momentum: Float = 0.9
    public var weightDecay: Float = 0.0005
    /// Images `eval_net` scores after each epoch.
    public var validationImages = 2
    /// A log line every this many steps (the course: 10).
    public var logEvery = 10

    public init(epochs: Int = 5, stepsPerEpoch: Int = 50, batchSize: Int = 4) {
        self.epochs = epochs
        self.stepsPerEpoch = stepsPerEpoch
        self.batchSize = batchSize
    }

    /// Throws when a count is not positive, epochs × steps overflows, or a rate is not a finite
    /// number ≥ 0 (the learning rate > 0): a NaN learning rate makes every weight NaN while the
    /// clamped BCE loss stays finite.
    public func validate() throws {
        for (name, value) in [("epochs", epochs), ("steps", stepsPerEpoch), ("batch", batchSize),
                              ("validation images", validationImages), ("log interval", logEvery)] where value < 1 {
            throw ConfigurationError("training needs \(name) ≥ 1, but got \(value)")
        }
        guard !epochs.multipliedReportingOverflow(by: stepsPerEpoch).overflow else {
            throw ConfigurationError("training needs epochs × steps to be a count, but \(epochs) × \(stepsPerEpoch) overflows")
        }
        guard learningRate.isFinite, learningRate > 0 else {
            throw ConfigurationError("training needs a learning rate that is a finite number > 0, but got \(learningRate)")
        }
        for (name, value) in [("momentum", momentum), ("weight decay", weightDecay)] where !(value.isFinite && value >= 0) {
            throw ConfigurationError("training needs a \(name) that is a finite number ≥ 0, but got \(value)")
        }
    }
}

/// What happened during training, for the caller to print.
public enum TrainingEvent {
    /// After every step: 1-based epoch and step, the loss, throughput and time left.
    case step(epoch: Int, step: Int, loss: Float, imagesPerSecond: Double, secondsLeft: Double)
    /// Every `logEvery` steps: the course's line `epoch E iteration S loss is L`.
    case log(epoch: Int, step: Int, loss: Float)
    /// After each epoch: the validation Dice (foreground, and with the background as the course counts it).
    case validation(epoch: Int, dice: Float, diceWithBackground: Float)
}

/// Every step's loss and every epoch's validation Dice.
public struct TrainingHistory: Sendable {
    public var losses: [Float] = []
    public var validationDice: [Float] = []
    public var stepSeconds: [Double] = []
    public init() {}
}

/// One optimisation step: `forward` builds the graph and returns the loss and whatever the
/// caller needs from the forward pass (tensors, not `Variable`s); then zero_grad, backward, and
/// the update — after the graph is gone. The graph holds the weights' arrays for the backward
/// pass, and an array with two owners is copied when written (copy-on-write): with the graph
/// still alive, the optimiser would copy every weight first (13 M floats for the course's UNet).
/// Returns the loss's value and what `forward` kept.
public func optimizationStep<Kept>(_ optimizer: Optimizer,
                                   _ forward: () throws -> (loss: Variable, kept: Kept)) throws -> (loss: Float, kept: Kept) {
    let result: (loss: Float, kept: Kept) = try {
        let (loss, kept) = try forward()
        optimizer.zeroGrad()
        try loss.backward()
        return (loss.value.scalars[0], kept)
    }()
    optimizer.step()
    return result
}

/// One training step on a batch in NCHW: forward, sigmoid, flatten, BCE, backward, SGD. Returns the loss.
@discardableResult
public func trainingStep(_ model: Module, optimizer: SGD, images: Tensor, labels: Tensor) throws -> Float {
    try optimizationStep(optimizer) {
        let logits = try model(Variable(images))
        return (try binaryCrossEntropy(try logits.sigmoid().flattened(), labels.flattened()), ())
    }.loss
}

/// A training that `shouldStop` ended before its last step: the history of the steps done.
public struct TrainingStopped: Error {
    public var history: TrainingHistory
    /// The 1-based epoch and step that did not run.
    public var epoch: Int, step: Int
}

/// Trains `model` as the course does; `onEvent` sees every step, log line and validation.
/// `shouldStop` is asked before every step; when it says yes, `TrainingStopped` is thrown with
/// the steps done so far (the model keeps the weights of the last completed step).
/// - Throws: `TrainingDiverged` as soon as the loss, or after an epoch a weight, is not finite.
public func trainNetwork(_ model: Module, batches: BatchSource, configuration c: TrainingConfiguration,
                         onEvent: (TrainingEvent) -> Void = { _ in },
                         shouldStop: () -> Bool = { false }) throws -> TrainingHistory {
    try c.validate()
    model.train()
    let optimizer = SGD(model.parameters(), lr: c.learningRate, momentum: c.momentum, weightDecay: c.weightDecay)
    var history = TrainingHistory()
    let totalSteps = c.epochs * c.stepsPerEpoch
    for epoch in 1...c.epochs {
        for step in 1...c.stepsPerEpoch {
            if shouldStop() { throw TrainingStopped(history: history, epoch: epoch, step: step) }
            let start = DispatchTime.now().uptimeNanoseconds
            let (x, y) = try batches(c.batchSize)
            let loss = try trainingStep(model, optimizer: optimizer, images: try x.nhwcToNCHW(), labels: try y.nhwcToNCHW())
            guard loss.isFinite else {
                throw TrainingDiverged("the loss became \(loss) at epoch \(epoch), step \(step): training diverged "
                                 + "(try a smaller learning rate)")
            }
            history.losses.append(loss)
            history.stepSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            let recent = history.stepSeconds.suffix(10)
            let secondsPerStep = recent.reduce(0, +) / Double(recent.count)
            onEvent(.step(epoch: epoch, step: step, loss: loss,
                          imagesPerSecond: Double(c.batchSize) / secondsPerStep,
                          secondsLeft: secondsPerStep * Double(totalSteps - history.losses.count)))
            if step % c.logEvery == 0 { onEvent(.log(epoch: epoch, step: step, loss: loss)) }
        }
        if let (name, _) = model.namedParameters().first(where: { !$0.1.value.scalars.allSatisfy(\.isFinite) }) {
            throw TrainingDiverged("after epoch \(epoch) the weight \(name) holds NaN or infinite values although the loss "
                                   + "stayed finite: training diverged (try a smaller learning rate)")
        }
        // eval_net on fresh images; both scores on the same images.
        let (images, labels) = try batches(c.validationImages)
        let dice = try diceScore(model, images: images, labels: labels).reduce(0, +) / Float(c.validationImages)
        let diceAll = try diceScore(model, images: images, labels: labels, channels: .allChannels)
            .reduce(0, +) / Float(c.validationImages)
        history.validationDice.append(dice)
        onEvent(.validation(epoch: epoch, dice: dice, diceWithBackground: diceAll))
    }
    return history
}
