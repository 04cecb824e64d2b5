/// Slices that copy: one image of a batch, one channel of an image.

/// One image `[C, H, W]` of a batch `[N, C, H, W]`.
public func sample(_ index: Int, of batch: Tensor) throws -> Tensor {
    try requireRank(batch, 4, "batch", "N×C×H×W")
    guard index >= 0 && index < batch.shape[0] else {
        throw ShapeError("sample \(index) is out of range for a batch of \(batch.shape[0])")
    }
    let size = batch.shape[1] * batch.shape[2] * batch.shape[3]
    return Tensor(unchecked: Array(batch.shape.dropFirst()), Array(batch.scalars[(index * size)..<((index + 1) * size)]))
}

/// Channel `index` of a `[c, h, w]` tensor, as an `[h, w]` tensor.
public func channel(_ input: Tensor, _ index: Int) throws -> Tensor {
    try requireRank(input, 3, "input", "channels×h×w")
    guard index >= 0 && index < input.shape[0] else {
        throw ShapeError("channel \(index) is out of range for input of shape \(shapeString(input.shape))")
    }
    let plane = input.shape[1] * input.shape[2]
    return try Tensor(shape: [input.shape[1], input.shape[2]],
                      scalars: Array(input.scalars[(index * plane)..<((index + 1) * plane)]))
}
