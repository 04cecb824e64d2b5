/// Stochastic gradient descent with momentum and weight decay, PyTorch semantics
/// (`torch.optim.SGD`, dampening 0, not Nesterov). For each parameter p with gradient g:
///
///     g ← g + weightDecay · p
///     v ← g                  on the first step,   v ← momentum · v + g   afterwards
///     p ← p − lr · v
///
/// The course uses lr 0.001, momentum 0.9, weight decay 0.0005.
public final class SGD {
    public let parameters: [Variable]
    public var learningRate: Float
    public let momentum: Float
    public let weightDecay: Float
    private var velocity: [Tensor?]

    public init(_ parameters: [Variable], lr: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = lr
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.velocity = Array(repeating: nil, count: parameters.count)
    }

    /// Clears every parameter's gradient (PyTorch's `optimizer.zero_grad()`).
    public func zeroGrad() { parameters.forEach { $0.zeroGrad() } }

    /// Updates every parameter that has a gradient.
    public func step() {
        for (k, p) in parameters.enumerated() {
            guard var g = p.grad else { continue }
            let (lr, mu, wd) = (learningRate, momentum, weightDecay)
            p.value.scalars.withUnsafeMutableBufferPointer { pv in
                g.scalars.withUnsafeMutableBufferPointer { g in
                    if wd != 0 { for i in 0..<g.count { g[i] += wd * pv[i] } }
                }
            }
            if mu != 0 {
                if var v = velocity[k] {
                    velocity[k] = nil   // keep v's buffer uniquely referenced: updated in place
                    v.scalars.withUnsafeMutableBufferPointer { v in
                        g.scalars.withUnsafeBufferPointer { g in
                            for i in 0..<v.count { v[i] = mu * v[i] + g[i] }
                        }
                    }
                    velocity[k] = v
                } else {
                    velocity[k] = g
                }
                g = velocity[k]!
            }
            p.value.scalars.withUnsafeMutableBufferPointer { pv in
                g.scalars.withUnsafeBufferPointer { g in
                    for i in 0..<pv.count { pv[i] -= lr * g[i] }
                }
            }
        }
    }
}
