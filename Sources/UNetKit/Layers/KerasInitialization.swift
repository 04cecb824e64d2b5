/// Keras' `he_normal` initialisation, beside PyTorch's default (`Initialization.swift`).
///
/// Keras draws `he_normal` weights from a normal distribution truncated at two standard
/// deviations (values beyond are drawn again), with
///
///     stddev = √(2 / fan_in) / 0.87962566103423978
///
/// where 0.8796… is the standard deviation of a standard normal truncated to [−2, 2]: the
/// truncation shrinks the spread by that factor, so the weights end up with standard deviation
/// √(2 / fan_in) (He et al., 2015) and lie within ±2·stddev. Biases start at zero (Keras'
/// `zeros`). fan_in is weight dimension 1 times the kernel size in UNetKit's (PyTorch's)
/// layouts: Cin·k² for `Conv2d` `[out, in, k, k]`, `in` for `Linear` `[out, in]`, and Cout·k²
/// for `ConvTranspose2d` `[in, out, k, k]` (Keras' Conv2DTranspose kernel is `[k, k, out, in]`
/// and its fan_in is also out·k²).

/// The standard deviation of a standard normal truncated to [−2, 2].
public let truncatedNormalStandardDeviationAtTwo = 0.87962566103423978

/// A tensor of `shape` drawn from a normal distribution with mean 0 and `stddev`, truncated at
/// ±2·stddev by drawing again (as TensorFlow's `truncated_normal`).
public func truncatedNormalTensor(_ shape: [Int], stddev: Double, using generator: inout SeededGenerator) -> Tensor {
    var t = Tensor(zeros: shape)
    t.withUnsafeMutableScalars { values in
        for k in 0..<values.count {
            var z = generator.normal()
            while abs(z) > 2 { z = generator.normal() }
            values[k] = Float(z * stddev)
        }
    }
    return t
}

/// The `stddev` Keras passes to its truncated normal for `he_normal`: √(2 / fan_in) / 0.8796….
public func heNormalStandardDeviation(fanIn: Int) -> Double {
    (2 / Double(fanIn)).squareRoot() / truncatedNormalStandardDeviationAtTwo
}

/// A weight of `shape` (PyTorch layout) initialised as Keras' `he_normal`, fan_in = the product
/// of the dimensions after the first.
public func heNormalTensor(_ shape: [Int], using generator: inout SeededGenerator) -> Tensor {
    let fanIn = max(1, shape.dropFirst().reduce(1, *))
    return truncatedNormalTensor(shape, stddev: heNormalStandardDeviation(fanIn: fanIn), using: &generator)
}

/// Re-initialises every `Conv2d`, `ConvTranspose2d` and `Linear` in `module` as a Keras model
/// with `kernel_initializer="he_normal"` starts: weights `he_normal`, biases zero. Modules are
/// visited in `namedModules()` order, so the same generator state gives the same weights.
public func initializeHeNormal(_ module: Module, using generator: inout SeededGenerator) {
    for (_, m) in module.namedModules() {
        let parameters: (weight: Variable, bias: Variable?)
        switch m {
        case let conv as Conv2d: parameters = (conv.weight, conv.bias)
        case let deconv as ConvTranspose2d: parameters = (deconv.weight, deconv.bias)
        case let dense as Linear: parameters = (dense.weight, dense.bias)
        default: continue
        }
        parameters.weight.value = heNormalTensor(parameters.weight.shape, using: &generator)
        if let bias = parameters.bias { bias.value = Tensor(zeros: bias.shape) }
    }
}
