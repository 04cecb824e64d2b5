/// A source of training data: `batches(n)` returns n fresh images `[n, H, W, C]` and one-hot
/// labels `[n, H, W, classes]`, B×H×W×C as the course's generator gives them.
public typealias BatchSource = (Int) throws -> (images: Tensor, labels: Tensor)

/// The course's `eval_net`: Dice of the thresholded prediction on `count` fresh images,
/// averaged over the images.
///
/// Two differences from the course's code, both deliberate: the score is taken on the
/// foreground channel(s) by default (`channels: .allChannels` gives the course's number,
/// which also counts the background and so reads higher), and the model goes back to the
/// mode it was in — the course's version leaves it in evaluation mode, so the next epoch's
/// BatchNorm layers stop using batch statistics and stop updating their running ones.
public func evalNet(_ model: Module, batches: BatchSource, count: Int = 2,
                    channels: DiceChannels = .foreground) throws -> Float {
    guard count >= 1 else { throw ConfigurationError("eval_net needs at least 1 validation image, but got \(count)") }
    let (images, labels) = try batches(count)
    return try diceScore(model, images: images, labels: labels, channels: channels).reduce(0, +) / Float(count)
}

/// Per-image Dice of the model's thresholded prediction (evaluation mode) on images
/// `[N, H, W, C]` against one-hot labels `[N, H, W, classes]`.
public func diceScore(_ model: Module, images: Tensor, labels: Tensor, channels: DiceChannels = .foreground) throws -> [Float] {
    let masks = threshold(try predictProbabilities(model, images: try images.nhwcToNCHW()))
    let truth = try labels.nhwcToNCHW()
    guard masks.shape == truth.shape else {
        throw ShapeError("the model predicts \(shapeString(masks.shape)) but the labels are \(shapeString(truth.shape)) "
                         + "(N×classes×H×W): is nClasses right?")
    }
    return try (0..<masks.shape[0]).map { try imageDice(try sample($0, of: masks), try sample($0, of: truth), channels: channels) }
}
