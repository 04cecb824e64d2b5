/// Concatenation along the channel axis (PyTorch's `torch.cat([a, b], dim=1)`), the UNet's
/// skip connection. Inputs `[N, C_k, H, W]` with equal N, H, W → `[N, ΣC_k, H, W]`.
/// Backward splits dy back into the channel blocks.

func concatChannelsForward<S: KernelScalar>(_ parts: [[S]], channels: [Int], batch: Int, plane: Int) -> [S] {
    let total = channels.reduce(0, +)
    var y = [S](repeating: 0, count: batch * total * plane)
    for n in 0..<batch {
        var offset = 0
        for (k, part) in parts.enumerated() {
            let size = channels[k] * plane
            for i in 0..<size { y[(n * total + offset) * plane + i] = part[n * size + i] }
            offset += channels[k]
        }
    }
    return y
}

func concatChannelsBackward<S: KernelScalar>(_ dy: [S], channels: [Int], batch: Int, plane: Int) -> [[S]] {
    let total = channels.reduce(0, +)
    var offset = 0
    return channels.map { c in
        var part = [S](repeating: 0, count: batch * c * plane)
        for n in 0..<batch {
            for i in 0..<(c * plane) { part[n * c * plane + i] = dy[(n * total + offset) * plane + i] }
        }
        offset += c
        return part
    }
}

/// Differentiable concatenation of `[N, C_k, H, W]` tensors along channels, in order.
public func concatChannels(_ inputs: [Variable]) throws -> Variable {
    guard let first = inputs.first else { throw ShapeError("concatChannels expected a non-empty list of tensors") }
    for (k, v) in inputs.enumerated() {
        try requireRank(v.value, 4, "tensor \(k) in the list", "N×C×H×W")
        for axis in [0, 2, 3] where v.shape[axis] != first.shape[axis] {
            throw ShapeError("Sizes of tensors must match except in dimension 1. Expected size "
                             + "\(first.shape[axis]) but got size \(v.shape[axis]) for tensor number \(k) "
                             + "in the list (shapes \(inputs.map { shapeString($0.shape) }.joined(separator: ", ")))")
        }
    }
    let (n, plane) = (first.shape[0], first.shape[2] * first.shape[3])
    let channels = inputs.map { $0.shape[1] }
    let y = concatChannelsForward(inputs.map(\.value.scalars), channels: channels, batch: n, plane: plane)
    let shape = [n, channels.reduce(0, +), first.shape[2], first.shape[3]]
    return Variable(Tensor(unchecked: shape, y), parents: inputs) { dy in
        zip(concatChannelsBackward(dy.scalars, channels: channels, batch: n, plane: plane), inputs).map {
            Tensor(unchecked: $1.shape, $0)
        }
    }
}
