/// Element-wise activations: ReLU and the logistic sigmoid. Any shape.
///
///     relu(x)    = max(x, 0)          d/dx = 1 where the output is > 0, else 0 (as PyTorch)
///     sigmoid(x) = 1 / (1 + e^(−x))   d/dx = y · (1 − y)

/// On all cores for large tensors (`parallelRanges`); NaN gives 0 both ways.
func reluForward<S: KernelScalar>(_ x: [S]) -> [S] {
    var y = uninitializedArray(x.count, of: S.self)
    x.withUnsafeBufferPointer { x in
        y.withSharedBuffer { y in
            parallelRanges(x.count) { range in
                for i in range { y[i] = x[i] > 0 ? x[i] : 0 }
            }
        }
    }
    return y
}

/// Uses the forward output y: the gradient passes where y > 0.
func reluBackward<S: KernelScalar>(_ dy: [S], output y: [S]) -> [S] {
    precondition(dy.count == y.count, "internal error: ReLU gradient of \(dy.count) values for \(y.count) outputs")
    var dx = uninitializedArray(dy.count, of: S.self)
    dy.withUnsafeBufferPointer { dy in
        y.withUnsafeBufferPointer { y in
            dx.withSharedBuffer { dx in
                parallelRanges(dy.count) { range in
                    for i in range { dx[i] = y[i] > 0 ? dy[i] : 0 }
                }
            }
        }
    }
    return dx
}

func sigmoidForward<S: KernelScalar>(_ x: [S]) -> [S] { x.map { 1 / (1 + S.exp(-$0)) } }

func sigmoidBackward<S: KernelScalar>(_ dy: [S], output y: [S]) -> [S] {
    var dx = dy
    for i in 0..<dx.count { dx[i] = dy[i] * (1 - y[i]) * y[i] }
    return dx
}

extension Variable {
    /// max(x, 0), element-wise.
    public func relu() -> Variable {
        let y = Tensor(unchecked: shape, reluForward(value.scalars))
        return Variable(y, parents: [self]) { dy in
            [Tensor(unchecked: y.shape, reluBackward(dy.scalars, output: y.scalars))]
        }
    }

    /// 1 / (1 + e^(−x)), element-wise: turns logits into probabilities.
    public func sigmoid() -> Variable {
        let y = Tensor(unchecked: shape, sigmoidForward(value.scalars))
        return Variable(y, parents: [self]) { dy in
            [Tensor(unchecked: y.shape, sigmoidBackward(dy.scalars, output: y.scalars))]
        }
    }
}

extension Tensor {
    /// For ops whose output has, by construction, as many scalars as `shape` needs.
    init(unchecked shape: [Int], _ scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count, "internal error: \(scalars.count) scalars for \(shape)")
        self.shape = shape
        self.scalars = scalars
    }
}
