/// Layers without parameters, so they can sit in a `Sequential` like in PyTorch.

/// `nn.ReLU`: max(x, 0), any shape.
public final class ReLU: Module {
    public override init() {}
    public override func forward(_ input: Variable) throws -> Variable { input.relu() }
}

/// `nn.MaxPool2d(k)`: k×k max-pooling with stride k. `[N, C, H, W]` → `[N, C, ⌊H/k⌋, ⌊W/k⌋]`.
public final class MaxPool2d: Module {
    public let kernelSize: Int
    public init(_ kernelSize: Int) { self.kernelSize = kernelSize }
    public override func forward(_ input: Variable) throws -> Variable { try maxPool2d(input, kernelSize: kernelSize) }
}

/// `nn.Upsample(scale_factor: s, mode: 'bilinear', align_corners: True)`. `[N, C, H, W]` → `[N, C, sH, sW]`.
public final class UpsampleBilinear: Module {
    public let scaleFactor: Int
    public init(scaleFactor: Int = 2) { self.scaleFactor = scaleFactor }
    public override func forward(_ input: Variable) throws -> Variable {
        try upsampleBilinear(input, scaleFactor: scaleFactor)
    }
}

/// `nn.Sequential`: runs its layers in order; their names are "0", "1", … as in PyTorch.
///
/// The plain path is `forwardLayerByLayer`. `forward` takes a faster path with the same result
/// (`fusesBatchNormReLU`, on by default): see `forwardFused`.
public final class Sequential: Module {
    public let layers: [Module]
    /// Whether `forward` runs BatchNorm2d → ReLU pairs (and, in evaluation, Conv2d → BatchNorm2d
    /// → ReLU triples) as one fused op. `false`: every layer on its own.
    public var fusesBatchNormReLU = true
    public init(_ layers: Module...) { self.layers = layers }
    public init(layers: [Module]) { self.layers = layers }
    public override var namedChildren: [(String, Module)] { layers.enumerated().map { (String($0), $1) } }

    public override func forward(_ input: Variable) throws -> Variable {
        fusesBatchNormReLU ? try forwardFused(input) : try forwardLayerByLayer(input)
    }

    /// Each layer in turn: `layers[n-1](…layers[1](layers[0](input)))`.
    public func forwardLayerByLayer(_ input: Variable) throws -> Variable {
        try layers.reduce(input) { x, layer in try layer(x) }
    }

    /// An optimisation with the same result as `forwardLayerByLayer`: a `BatchNorm2d` directly
    /// followed by a `ReLU` runs as one op (`batchNorm2dReLU`: one pass less each way and one
    /// tensor less kept for backward); a `Conv2d → BatchNorm2d → ReLU` triple runs as
    /// `convBatchNormReLU` (one op in evaluation without gradients). Fused layers still report to
    /// observers (the model summary lists them all), with the fused output.
    public func forwardFused(_ input: Variable) throws -> Variable {
        var x = input
        var i = 0
        while i < layers.count {
            if i + 2 < layers.count, let conv = layers[i] as? Conv2d, let bn = layers[i + 1] as? BatchNorm2d,
               layers[i + 2] is ReLU {
                x = layers[i + 2].observed(try convBatchNormReLU(x, conv, bn))
                i += 3
            } else if let bn = layers[i] as? BatchNorm2d, i + 1 < layers.count, layers[i + 1] is ReLU {
                x = try bn.forwardWithReLU(x)
                _ = bn.observed(x)
                _ = layers[i + 1].observed(x)
                i += 2
            } else {
                x = try layers[i](x)
                i += 1
            }
        }
        return x
    }
}
