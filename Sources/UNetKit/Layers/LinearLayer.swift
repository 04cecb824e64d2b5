/// A fully connected layer (PyTorch's `nn.Linear`): weight `[out, in]`, optional bias `[out]`.
/// Input `[N, in]` → output `[N, out]`, y = x·wᵀ + b.
///
/// Initialisation as PyTorch's: weight and bias uniform in ±1/√in (`kaiming_uniform_(a=√5)`
/// for the weight), drawn from `defaultGenerator`; with `in` = 0 the bias is 0. Negative sizes
/// build an empty layer whose `forward` throws a `ShapeError`.
public final class Linear: Module {
    public let weight: Variable
    public let bias: Variable?
    public let inFeatures: Int
    public let outFeatures: Int

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        (weight, self.bias) = defaultConvolutionParameters(weightShape: [max(0, outFeatures), max(0, inFeatures)],
                                                           biasCount: max(0, outFeatures), bias: bias)
    }

    public override func forward(_ input: Variable) throws -> Variable {
        guard inFeatures >= 0, outFeatures >= 0 else {
            throw ShapeError("Linear needs non-negative sizes, but was built with in_features \(inFeatures), "
                             + "out_features \(outFeatures)")
        }
        return try linear(input, weight: weight, bias: bias)
    }
}
