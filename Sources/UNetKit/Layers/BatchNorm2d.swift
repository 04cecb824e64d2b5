/// Batch normalisation layer (PyTorch's `nn.BatchNorm2d`): weight (γ) 1 and bias (β) 0 at
/// start, running mean 0 and variance 1, momentum 0.1, ε = 1e-5. Input and output `[N, C, H, W]`.
/// In training mode it normalises with the batch statistics and updates the running ones;
/// after `eval()` it uses the running ones.
public final class BatchNorm2d: Module {
    public let weight: Variable
    public let bias: Variable
    public var runningMean: Tensor
    public var runningVar: Tensor
    /// How many training batches updated the running statistics (saved with the weights, as PyTorch does).
    public var numBatchesTracked = 0
    public let momentum: Float
    public let eps: Float

    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        weight = Variable(Tensor(repeating: 1, shape: [numFeatures]), requiresGrad: true)
        bias = Variable(Tensor(zeros: [numFeatures]), requiresGrad: true)
        runningMean = Tensor(zeros: [numFeatures])
        runningVar = Tensor(repeating: 1, shape: [numFeatures])
        self.momentum = momentum
        self.eps = eps
    }

    public override func forward(_ input: Variable) throws -> Variable {
        let y = try batchNorm2d(input, weight: weight, bias: bias, runningMean: &runningMean,
                                runningVar: &runningVar, training: isTraining, momentum: momentum, eps: eps)
        if isTraining { numBatchesTracked += 1 }
        return y
    }

    /// `relu(self(input))` as one op (`batchNorm2dReLU`): what `Sequential` runs for a
    /// `BatchNorm2d` followed by a `ReLU`.
    public func forwardWithReLU(_ input: Variable) throws -> Variable {
        let y = try batchNorm2dReLU(input, weight: weight, bias: bias, runningMean: &runningMean,
                                    runningVar: &runningVar, training: isTraining, momentum: momentum, eps: eps)
        if isTraining { numBatchesTracked += 1 }
        return y
    }

    /// The running statistics and parameters as one per-channel affine map, for evaluation.
    var evaluationAffine: ChannelAffineReLU {
        ChannelAffineReLU(mean: runningMean.scalars, invStd: inverseStandardDeviation(runningVar.scalars, eps: eps),
                          gamma: weight.value.scalars, beta: bias.value.scalars)
    }

    public override var namedLocalBuffers: [(String, Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar),
         ("num_batches_tracked", Tensor(unchecked: [], [Float(numBatchesTracked)]))]
    }

    public override func setLocalBuffer(_ name: String, to value: Tensor) throws {
        let expected = name == "num_batches_tracked" ? [] : runningMean.shape
        guard value.shape == expected else {
            throw ShapeError("BatchNorm2d.\(name): expected shape \(shapeString(expected)), but got \(shapeString(value.shape))")
        }
        switch name {
        case "running_mean": runningMean = value
        case "running_var": runningVar = value
        case "num_batches_tracked": numBatchesTracked = Int(value.scalars[0])
        default: throw ShapeError("BatchNorm2d has no buffer named \(name)")
        }
    }
}
