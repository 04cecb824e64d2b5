/// A transposed convolution layer (PyTorch's `nn.ConvTranspose2d`): weight `[in, out, k, k]`,
/// bias `[out]`. Input `[N, in, H, W]` → output `[N, out, (H − 1)·s − 2p + k, (W − 1)·s − 2p + k]`.
/// `ConvTranspose2d(c, c/2, kernelSize: 2, stride: 2)` is the learned ×2 up-sampling of seed 002.
public final class ConvTranspose2d: Module {
    public let weight: Variable
    public let bias: Variable?
    public let stride: Int
    public let padding: Int
    public var backend: ConvolutionBackend = .blas

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0,
                     "ConvTranspose2d needs positive sizes, got \(inChannels)→\(outChannels), kernel \(kernelSize)")
        (weight, self.bias) = defaultConvolutionParameters(weightShape: [inChannels, outChannels, kernelSize, kernelSize],
                                                           biasCount: outChannels, bias: bias)
        self.stride = stride
        self.padding = padding
    }

    public override func forward(_ input: Variable) throws -> Variable {
        try convTranspose2d(input, weight: weight, bias: bias, stride: stride, padding: padding, backend: backend)
    }
}
