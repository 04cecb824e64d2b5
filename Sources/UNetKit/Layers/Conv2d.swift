/// A convolution layer (PyTorch's `nn.Conv2d`, groups 1): weight `[out, in, k, k]`, bias `[out]`.
/// Input `[N, in, H, W]` → output `[N, out, (H + 2p − d·(k − 1) − 1)/s + 1, (W + 2p − d·(k − 1) − 1)/s + 1]`
/// with dilation d (default 1). A dilation below 1 is reported by `forward` (a `ShapeError`).
public final class Conv2d: Module {
    public let weight: Variable
    public let bias: Variable?
    public let stride: Int
    public let padding: Int
    /// Spacing between kernel taps (PyTorch's `dilation`); 1 is an ordinary convolution.
    public let dilation: Int
    /// Which implementation runs (all compute the same); training uses `.winograd` (Winograd for
    /// 3×3 stride-1 kernels, im2col + BLAS for the rest).
    public var backend: ConvolutionBackend = .winograd
    /// The Winograd-transformed kernels, kept while `weight` does not change.
    private let winogradWeights = WinogradWeightCache()

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, bias: Bool = true) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0,
                     "Conv2d needs positive sizes, got \(inChannels)→\(outChannels), kernel \(kernelSize)")
        (weight, self.bias) = defaultConvolutionParameters(weightShape: [outChannels, inChannels, kernelSize, kernelSize],
                                                           biasCount: outChannels, bias: bias)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    public override func forward(_ input: Variable) throws -> Variable {
        try conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, backend: backend,
                   evaluation: !isTraining, cache: winogradWeights)
    }

    /// `relu(batchNorm(self(input)))` in one go, for evaluation without gradients (`Sequential`
    /// runs `Conv2d → BatchNorm2d → ReLU` this way then).
    func forwardWithBatchNormReLU(_ input: Variable, _ batchNorm: BatchNorm2d) throws -> Variable {
        Variable(try conv2dBatchNormReLUForward(input.value, weight: weight.value, bias: bias?.value, stride: stride,
                                                padding: padding, dilation: dilation, backend: backend,
                                                winogradWeights: { [weight, winogradWeights] in winogradWeights.transformed(weight, tile: $0) },
                                                then: batchNorm.evaluationAffine))
    }
}
