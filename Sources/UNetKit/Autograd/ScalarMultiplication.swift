/// A loss (or any value) times a constant, so a weighted sum of losses is one line:
///
///     let loss = try 0.5 * bce + dice           // Float × Variable, then Variable + Variable
///
/// Backward: dx = c · dy.
extension Variable {
    public static func * (lhs: Float, rhs: Variable) -> Variable {
        var y = rhs.value
        y.withUnsafeMutableScalars { s in for i in s.indices { s[i] *= lhs } }
        return Variable(y, parents: [rhs]) { dy in
            var dx = dy
            dx.withUnsafeMutableScalars { s in for i in s.indices { s[i] *= lhs } }
            return [dx]
        }
    }

    public static func * (lhs: Variable, rhs: Float) -> Variable { rhs * lhs }
}
