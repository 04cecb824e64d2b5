/// Differentiable reshape, flatten and axis permutation. Backward reshapes (or inverse-permutes)
/// dy back to the input's shape.
extension Variable {
    /// Same scalars, new shape (one size may be −1), like `x.reshape(-1)` in PyTorch.
    public func reshaped(_ shape: [Int]) throws -> Variable {
        let inputShape = self.shape
        return Variable(try value.reshaped(shape), parents: [self]) { dy in [try dy.reshaped(inputShape)] }
    }

    /// All scalars as one axis.
    public func flattened() throws -> Variable { try reshaped([-1]) }

    /// Reorders axes: result axis i is input axis `axes[i]`.
    public func permuted(_ axes: [Int]) throws -> Variable {
        var inverse = [Int](repeating: 0, count: axes.count)
        for (i, a) in axes.enumerated() where a >= 0 && a < axes.count { inverse[a] = i }
        return Variable(try value.permuted(axes), parents: [self]) { dy in [try dy.permuted(inverse)] }
    }
}
