/// Reshaping and axis permutation: `reshaped`, `flattened`, `permuted`, and the
/// B×H×W×C ↔ B×C×H×W conversions the lab shows in question 1.
extension Tensor {
    /// The same scalars viewed with another shape; one size may be `-1` (inferred), as in
    /// PyTorch's `reshape`. `x.reshaped([-1])` flattens.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        let inferred = newShape.filter { $0 == -1 }.count
        guard inferred <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw ShapeError("shape \(shapeString(newShape)) is invalid: at most one -1 and no other negative size")
        }
        var resolved = newShape
        if let i = newShape.firstIndex(of: -1) {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            guard known > 0, count % known == 0 else {
                throw ShapeError("shape \(shapeString(newShape)) is invalid for input of size \(count)")
            }
            resolved[i] = count / known
        }
        guard resolved.reduce(1, *) == count else {
            throw ShapeError("shape \(shapeString(newShape)) is invalid for input of size \(count)")
        }
        var copy = self
        copy.shape = resolved
        return copy
    }

    /// All scalars as one axis: shape `[count]`.
    public func flattened() -> Tensor {
        var copy = self
        copy.shape = [count]
        return copy
    }

    /// Reorders the axes: result axis `i` is input axis `axes[i]` (NumPy's `transpose`,
    /// PyTorch's `permute`). `x.permuted([0, 3, 1, 2])` turns B×H×W×C into B×C×H×W.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        guard axes.count == rank, Set(axes) == Set(0..<rank) else {
            throw ShapeError("permutation \(axes) does not fit a \(rank)-D tensor of shape "
                             + "\(shapeString(shape)): expected each of 0..<\(rank) once")
        }
        let newShape = axes.map { shape[$0] }
        let inStrides = strides
        let gatherStrides = axes.map { inStrides[$0] }
        var out = Tensor(zeros: newShape)
        guard count > 0 else { return out }
        var index = [Int](repeating: 0, count: rank)
        var source = 0
        scalars.withUnsafeBufferPointer { src in
            out.scalars.withUnsafeMutableBufferPointer { dst in
                for flat in 0..<dst.count {
                    dst[flat] = src[source]
                    var axis = rank - 1
                    while axis >= 0 {
                        index[axis] += 1
                        source += gatherStrides[axis]
                        if index[axis] < newShape[axis] { break }
                        source -= gatherStrides[axis] * newShape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return out
    }

    /// B×H×W×C (TensorFlow, the course's generator) → B×C×H×W (PyTorch, UNetKit).
    public func nhwcToNCHW() throws -> Tensor {
        try requireRank(self, 4, "input", "B×H×W×C")
        return try permuted([0, 3, 1, 2])
    }

    /// B×C×H×W → B×H×W×C.
    public func nchwToNHWC() throws -> Tensor {
        try requireRank(self, 4, "input", "B×C×H×W")
        return try permuted([0, 2, 3, 1])
    }
}
