/// Checks shared by the metrics: scores, 0/1 labels and an optional 0/1 field-of-view mask of
/// one shape; returns the (score, label) pairs inside the mask.
func maskedScoresAndLabels(_ scores: Tensor, _ labels: Tensor, mask: Tensor?, _ function: String) throws
    -> (scores: [Float], labels: [Bool]) {
    guard labels.shape == scores.shape else {
        throw ShapeError("\(function): expected labels of the scores' shape \(shapeString(scores.shape)), "
                         + "but got \(shapeString(labels.shape))")
    }
    if let mask, mask.shape != scores.shape {
        throw ShapeError("\(function): expected a mask of the scores' shape \(shapeString(scores.shape)), "
                         + "but got \(shapeString(mask.shape))")
    }
    try requireBinary(labels, "labels", function)
    if let mask { try requireBinary(mask, "mask", function) }
    var keptScores: [Float] = [], keptLabels: [Bool] = []
    keptScores.reserveCapacity(scores.count)
    keptLabels.reserveCapacity(scores.count)
    for i in 0..<scores.count where mask.map({ $0.scalars[i] == 1 }) ?? true {
        keptScores.append(scores.scalars[i])
        keptLabels.append(labels.scalars[i] == 1)
    }
    return (keptScores, keptLabels)
}

/// Throws unless every element is 0 or 1.
func requireBinary(_ tensor: Tensor, _ what: String, _ function: String) throws {
    if let bad = tensor.scalars.first(where: { $0 != 0 && $0 != 1 }) {
        throw ShapeError("\(function): expected \(what) of 0 and 1 only, but found \(bad)")
    }
}
