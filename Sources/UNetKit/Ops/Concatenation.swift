/// Concatenation along the channel axis (PyTorch's `torch.cat([a, b], dim=1)`), the UNet's
/// skip connection. Inputs `[N, C_k, H, W]` with equal N, H, W → `[N, ΣC_k, H, W]`.
/// Backward splits dy back into the channel blocks.

/// Copies, per image n and input k, the block `[C_k, H, W]` to its place in y; the blocks are
/// copied on all cores.
func concatChannelsForward<S: KernelScalar>(_ parts: [[S]], channels: [Int], batch: Int, plane: Int) -> [S] {
    let total = channels.reduce(0, +)
    let offsets = channels.indices.map { channels[..<$0].reduce(0, +) }
    // Every element is copied from one part: the channels' blocks tile y.
    var y = uninitializedArray(batch * total * plane, of: S.self)
    y.withSharedBuffer { y in
        parallelFor(batch * parts.count) { job in
            let (n, k) = (job / parts.count, job % parts.count)
            let size = channels[k] * plane
            parts[k].withUnsafeBufferPointer { part in
                (y.base + (n * total + offsets[k]) * plane).update(from: part.baseAddress! + n * size, count: size)
            }
        }
    }
    return y
}

/// Splits dy back into the inputs' blocks (the adjoint of the copy).
func concatChannelsBackward<S: KernelScalar>(_ dy: [S], channels: [Int], batch: Int, plane: Int) -> [[S]] {
    let total = channels.reduce(0, +)
    var offset = 0
    return dy.withUnsafeBufferPointer { dy in
        channels.map { c in
            var part = uninitializedArray(batch * c * plane, of: S.self)
            part.withSharedBuffer { part in
                parallelFor(batch) { n in
                    (part.base + n * c * plane).update(from: dy.baseAddress! + (n * total + offset) * plane, count: c * plane)
                }
            }
            offset += c
            return part
        }
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
