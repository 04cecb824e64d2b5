import UNetKit

/// Appendix of the course (seed 004): convolution and deconvolution written by hand, as
/// plain loops a student can follow line by line. These are for reading and for the
/// `deconv2d` exercise; training uses `conv2d(_:weight:bias:…)` on `Variable`s.
///
/// All three take channel-first tensors without a batch axis, like the course's NumPy code.

/// Single channel in, single channel out: zero padding k/2, stride 1, so the output has the
/// input's size. `featureMap` `[h, w]`, `kernel` `[k, k]` → `[h, w]`.
///
///     result[i][j] = Σ_a Σ_b  padded[i + a][j + b] · kernel[a][b]
public func convolution(_ featureMap: Tensor, _ kernel: Tensor) throws -> Tensor {
    try requireRank(featureMap, 2, "feature_map", "h×w")
    try requireRank(kernel, 2, "kernel", "k×k")
    guard kernel.shape[0] == kernel.shape[1] else {
        throw ShapeError("expected a square kernel, but got kernel of shape \(shapeString(kernel.shape))")
    }
    let (h, w, k) = (featureMap.shape[0], featureMap.shape[1], kernel.shape[0])
    let p = k / 2
    // Zero padding: a (h + 2p) × (w + 2p) copy with the feature map in the middle.
    var padded = Tensor(zeros: [h + 2 * p, w + 2 * p])
    for i in 0..<h {
        for j in 0..<w { padded[i + p, j + p] = featureMap[i, j] }
    }
    var result = Tensor(zeros: [h, w])
    for i in 0..<h {
        for j in 0..<w {
            // The region of interest is padded[i ..< i+k, j ..< j+k].
            var sum: Float = 0
            for a in 0..<k {
                for b in 0..<k { sum += padded[i + a, j + b] * kernel[a, b] }
            }
            result[i, j] = sum
        }
    }
    return result
}

/// Multi-channel convolution without bias: every output channel is the sum over input
/// channels of `convolution(input[j], weights[i][j])`.
/// `input` `[in, h, w]`, `weights` `[out, in, k, k]` → `[out, h, w]`.
public func conv2d(_ input: Tensor, _ weights: Tensor) throws -> Tensor {
    try requireRank(input, 3, "input", "channels×h×w")
    try requireRank(weights, 4, "weights", "out×in×k×k")
    guard weights.shape[1] == input.shape[0] else {
        throw ShapeError("weights of size \(shapeString(weights.shape)), expected input\(shapeString(input.shape)) "
                         + "to have \(weights.shape[1]) channels, but got \(input.shape[0]) channels instead")
    }
    let (inChannels, h, w) = (input.shape[0], input.shape[1], input.shape[2])
    let (outChannels, k) = (weights.shape[0], weights.shape[2])
    var output = Tensor(zeros: [outChannels, h, w])
    for i in 0..<outChannels {
        for j in 0..<inChannels {
            let featureMap = try channel(input, j)
            let kernel = try Tensor(shape: [k, k], scalars: Array(weights.scalars[((i * inChannels + j) * k * k)...]
                                                                   .prefix(k * k)))
            let response = try convolution(featureMap, kernel)
            for a in 0..<h {
                for b in 0..<w { output[i, a, b] += response[a, b] }
            }
        }
    }
    return output
}

/// Interleaves zeros: `[c, h, w]` → `[c, 2h + 1, 2w + 1]` with `result[i, 2j + 1, 2k + 1] = input[i, j, k]`
/// and zero everywhere else. The first step of a deconvolution.
public func fillZeros(_ input: Tensor) throws -> Tensor {
    try requireRank(input, 3, "input", "channels×h×w")
    let (c, h, w) = (input.shape[0], input.shape[1], input.shape[2])
    var result = Tensor(zeros: [c, 2 * h + 1, 2 * w + 1])
    for i in 0..<c {
        for j in 0..<h {
            for k in 0..<w { result[i, 2 * j + 1, 2 * k + 1] = input[i, j, k] }
        }
    }
    return result
}
