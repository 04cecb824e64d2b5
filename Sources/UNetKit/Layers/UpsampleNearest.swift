/// `nn.Upsample(scale_factor: s, mode: 'nearest')` / Keras' `UpSampling2D(size=s)`.
/// `[N, C, H, W]` → `[N, C, sH, sW]`.
public final class UpsampleNearest: Module {
    public let scaleFactor: Int
    public init(scaleFactor: Int = 2) { self.scaleFactor = scaleFactor }
    public override func forward(_ input: Variable) throws -> Variable {
        try upsampleNearest(input, scaleFactor: scaleFactor)
    }
}
