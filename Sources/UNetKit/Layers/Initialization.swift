/// PyTorch's default initialisation, from a seedable generator.
///
/// `nn.Conv2d` and `nn.ConvTranspose2d` draw their weight with `kaiming_uniform_(a=√5)`,
/// which is uniform in ±1/√fan_in, and their bias uniform in ±1/√fan_in. fan_in is
/// `weight.size(1) · kH · kW`: Cin·k² for a convolution, Cout·k² for a transposed one
/// (PyTorch takes dimension 1 in both cases).

/// The generator layers draw their initial weights from. `manualSeed(_:)` resets it.
nonisolated(unsafe) public var defaultGenerator = SeededGenerator(seed: 0)

/// Reseeds `defaultGenerator`, like `torch.manual_seed`: the same seed builds the same network.
public func manualSeed(_ seed: UInt64) { defaultGenerator = SeededGenerator(seed: seed) }

/// A tensor of `shape` drawn uniformly from [−bound, bound).
public func uniformTensor(_ shape: [Int], bound: Double, using generator: inout SeededGenerator) -> Tensor {
    var t = Tensor(zeros: shape)
    for i in 0..<t.count { t.scalars[i] = Float(generator.uniform(-bound, bound)) }
    return t
}

/// The ±1/√fan_in bound PyTorch uses for a convolution weight of `shape` (its dimension 1 times the kernel size).
func defaultInitBound(weightShape shape: [Int]) -> Double {
    let fanIn = shape.dropFirst().reduce(1, *)
    return fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
}

/// A convolution's weight and optional bias `[biasCount]` with PyTorch's default initialisation
/// (both uniform in ±1/√fan_in, fan_in from weight dimension 1), drawn from `defaultGenerator`.
func defaultConvolutionParameters(weightShape: [Int], biasCount: Int, bias: Bool) -> (weight: Variable, bias: Variable?) {
    let bound = defaultInitBound(weightShape: weightShape)
    let weight = Variable(uniformTensor(weightShape, bound: bound, using: &defaultGenerator), requiresGrad: true)
    let b = bias ? Variable(uniformTensor([biasCount], bound: bound, using: &defaultGenerator), requiresGrad: true) : nil
    return (weight, b)
}
