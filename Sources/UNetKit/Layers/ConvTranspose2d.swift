/// A transposed convolution layer (PyTorch's `nn.ConvTranspose2d`): weight `[in, out, k, k]`,
/// bias `[out]`. Input `[N, in, H, W]` → output
/// `[N, out, (H − 1)·s − 2p + d·(k − 1) + op + 1, (W − 1)·s − 2p + d·(k − 1) + op + 1]` with
/// dilation d (default 1) and output padding op (default 0, smaller than s or d).
/// `ConvTranspose2d(c, c/2, kernelSize: 2, stride: 2)` and `kernelSize: 4, stride: 2, padding: 1`
/// are learned ×2 up-samplings; so is `kernelSize: 3, stride: 2, padding: 1, outputPadding: 1`.
/// Bad output padding or dilation is reported by `forward` (a `ShapeError`).
public final class ConvTranspose2d: Module {
    public let weight: Variable
    public let bias: Variable?
    public let stride: Int
    public let padding: Int
    /// Extra rows and columns at the bottom and right of the output (PyTorch's `output_padding`).
    public let outputPadding: Int
    /// Spacing between kernel taps (PyTorch's `dilation`).
    public let dilation: Int
    public var backend: ConvolutionBackend = .blas

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, dilation: Int = 1, bias: Bool = true) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0,
                     "ConvTranspose2d needs positive sizes, got \(inChannels)→\(outChannels), kernel \(kernelSize)")
        (weight, self.bias) = defaultConvolutionParameters(weightShape: [inChannels, outChannels, kernelSize, kernelSize],
                                                           biasCount: outChannels, bias: bias)
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
    }

    public override func forward(_ input: Variable) throws -> Variable {
        try convTranspose2d(input, weight: weight, bias: bias, stride: stride, padding: padding,
                            outputPadding: outputPadding, dilation: dilation, backend: backend)
    }
}
