/// `nn.Sigmoid`: 1 / (1 + e^(−x)), element-wise, any shape (a layer, to sit in a `Sequential`).
public final class Sigmoid: Module {
    public override init() {}
    public override func forward(_ input: Variable) throws -> Variable { input.sigmoid() }
}
