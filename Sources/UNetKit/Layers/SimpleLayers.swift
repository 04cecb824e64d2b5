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
public final class Sequential: Module {
    public let layers: [Module]
    public init(_ layers: Module...) { self.layers = layers }
    public init(layers: [Module]) { self.layers = layers }
    public override var namedChildren: [(String, Module)] { layers.enumerated().map { (String($0), $1) } }
    public override func forward(_ input: Variable) throws -> Variable {
        try layers.reduce(input) { try $1($0) }
    }
}
