/// How a loss turns its per-element values into one number (PyTorch's `reduction=`).
public enum LossReduction: String, Sendable, CaseIterable {
    /// The average over all elements (PyTorch's default, `reduction="mean"`).
    case mean
    /// The sum over all elements (`reduction="sum"`).
    case sum

    /// The factor every per-element loss is multiplied by: 1/M for the mean of M elements, 1 for the sum.
    func scale(count: Int) -> Double {
        self == .mean ? 1 / Double(max(1, count)) : 1
    }
}

/// Throws unless `target` has the shape of `input`; `function` names the loss, as PyTorch's messages do.
func requireSameShape(_ input: Tensor, _ target: Tensor, _ function: String) throws {
    guard target.shape == input.shape else {
        throw ShapeError("Target size (\(shapeString(target.shape))) must be the same as input size "
                         + "(\(shapeString(input.shape))) in \(function)")
    }
}

/// Throws unless every element of `tensor` lies in [0, 1] (NaN included in the check).
/// `what` names the argument ("input", "target"); `hint` says what to do about it.
func requireUnitInterval(_ tensor: Tensor, _ what: String, _ function: String, hint: String = "") throws {
    if let bad = tensor.scalars.first(where: { !($0 >= 0 && $0 <= 1) }) {
        throw ShapeError("\(function): all elements of \(what) should be between 0 and 1, but found \(bad)" + hint)
    }
}
