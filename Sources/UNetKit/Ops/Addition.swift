/// Element-wise addition of two tensors of the same shape (the `up_add` skip connection).
/// Backward: both inputs receive dy unchanged.
extension Variable {
    public static func + (lhs: Variable, rhs: Variable) throws -> Variable {
        guard lhs.shape == rhs.shape else {
            throw ShapeError("The size of tensor a \(shapeString(lhs.shape)) must match the size of "
                             + "tensor b \(shapeString(rhs.shape)) for element-wise addition")
        }
        return Variable(addTensors(lhs.value, rhs.value), parents: [lhs, rhs]) { dy in [dy, dy] }
    }
}
