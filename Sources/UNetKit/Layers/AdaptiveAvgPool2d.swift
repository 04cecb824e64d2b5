/// `nn.AdaptiveAvgPool2d(1)`: global average pooling, `[N, C, H, W]` → `[N, C, 1, 1]`.
///
/// Only the output size 1 is implemented; another size makes `forward` throw a `ShapeError`.
public final class AdaptiveAvgPool2d: Module {
    public let outputSize: Int
    public init(_ outputSize: Int = 1) { self.outputSize = outputSize }
    public override func forward(_ input: Variable) throws -> Variable {
        guard outputSize == 1 else {
            throw ShapeError("AdaptiveAvgPool2d: only output size 1 (global average pooling) is implemented, "
                             + "but got output size \(outputSize)")
        }
        return try globalAveragePool(input)
    }
}
