/// Dice and IoU over a set of images, averaged two ways that give different numbers:
///
/// - **per image** (`perImageDice`, `perImageIoU`): the score of each image, then the mean of
///   the scores — every image counts the same, a small object as much as a large one; an image
///   with an empty label and an empty prediction scores 1.
/// - **pooled** (`pooledDice`, `pooledIoU`): TP, FP and FN summed over all pixels of all images,
///   then one score — every *pixel* counts the same, so large objects dominate ("micro" average).
///
/// Both at one threshold (probability ≥ threshold is foreground), inside an optional mask.
public struct OverlapAverages: Equatable, Sendable {
    public var perImageDice: Double
    public var pooledDice: Double
    public var perImageIoU: Double
    public var pooledIoU: Double

    /// - Parameters: `probabilities`, `labels` (0/1) and `mask` (0/1) of one shape `[N, …]`.
    public init(probabilities: Tensor, labels: Tensor, threshold: Float = 0.5, mask: Tensor? = nil) throws {
        let images = try ConfusionMatrix.perImage(probabilities: probabilities, labels: labels, threshold: threshold, mask: mask)
        guard !images.isEmpty else { throw ShapeError("overlap averages: expected at least one image, but got N = 0") }
        let pooled = images.dropFirst().reduce(images[0], +)
        perImageDice = images.map(\.dice).reduce(0, +) / Double(images.count)
        perImageIoU = images.map(\.iou).reduce(0, +) / Double(images.count)
        pooledDice = pooled.dice
        pooledIoU = pooled.iou
    }
}
