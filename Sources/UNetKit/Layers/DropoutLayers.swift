/// Dropout layers: `Dropout` (PyTorch's `nn.Dropout`), `Dropout2d` (`nn.Dropout2d`) and
/// `DropBlock2d` (torchvision's `ops.DropBlock2d`). Each draws its masks from its own seedable
/// `generator` in training mode and is the identity in evaluation mode (`eval()`). Input and
/// output have the same shape (`[N, C, H, W]` for the last two).
///
/// Without an explicit seed, a layer takes its generator's seed from `defaultGenerator` when it
/// is built, so `manualSeed` before building a network fixes its masks too. Invalid settings
/// (p outside [0, 1), an even block size, a block larger than the map) make `forward` throw a
/// `ShapeError`, in evaluation mode as well.

/// A generator seeded from `seed`, or from `defaultGenerator` when `seed` is nil.
private func layerGenerator(_ seed: UInt64?) -> SeededGenerator {
    SeededGenerator(seed: seed ?? defaultGenerator.next())
}

/// `nn.Dropout(p)`: zeroes each element with probability p in training, scales the rest by 1/(1 − p).
public final class Dropout: Module {
    public let p: Double
    public var generator: SeededGenerator
    public init(p: Double = 0.5, seed: UInt64? = nil) {
        self.p = p
        generator = layerGenerator(seed)
    }
    public override func forward(_ input: Variable) throws -> Variable {
        try dropout(input, p: p, training: isTraining, using: &generator)
    }
}

/// `nn.Dropout2d(p)`: zeroes each whole channel plane with probability p in training, scales the
/// rest by 1/(1 − p).
public final class Dropout2d: Module {
    public let p: Double
    public var generator: SeededGenerator
    public init(p: Double = 0.5, seed: UInt64? = nil) {
        self.p = p
        generator = layerGenerator(seed)
    }
    public override func forward(_ input: Variable) throws -> Variable {
        try dropout2d(input, p: p, training: isTraining, using: &generator)
    }
}

/// DropBlock (torchvision's `ops.DropBlock2d(p, block_size)`, see `dropBlock2d`): zeroes
/// block_size × block_size squares in training, with one seed mask per channel.
public final class DropBlock2d: Module {
    /// Drop probability in [0, 1) (a network's settings may change it before training).
    public var p: Double
    public let blockSize: Int
    public let eps: Double
    public var generator: SeededGenerator
    public init(p: Double, blockSize: Int, eps: Double = 1e-6, seed: UInt64? = nil) {
        self.p = p
        self.blockSize = blockSize
        self.eps = eps
        generator = layerGenerator(seed)
    }
    public override func forward(_ input: Variable) throws -> Variable {
        try dropBlock2d(input, p: p, blockSize: blockSize, training: isTraining, eps: eps, using: &generator)
    }
}
