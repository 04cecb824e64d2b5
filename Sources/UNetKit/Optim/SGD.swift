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
    var velocity: [Tensor?]   // internal: SGD+State.swift saves and restores it

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
        let (lr, mu, wd) = (learningRate, momentum, weightDecay)
        for (k, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            // Per element, in PyTorch's order: d = g + wd·p; v = μ·v + d (v = d at the first
            // step); p −= lr·v (p −= lr·d without momentum). Large tensors on all cores.
            guard mu != 0 else {
                p.value.scalars.withSharedBuffer { pv in
                    grad.scalars.withUnsafeBufferPointer { g in
                        parallelRanges(g.count) { range in
                            for i in range { pv[i] -= lr * (wd != 0 ? g[i] + wd * pv[i] : g[i]) }
                        }
                    }
                }
                continue
            }
            let first = velocity[k] == nil
            var v = velocity[k] ?? Tensor(unchecked: grad.shape, uninitializedArray(grad.count))
            velocity[k] = nil   // keep v's buffer uniquely referenced: updated in place
            p.value.scalars.withSharedBuffer { pv in
                v.scalars.withSharedBuffer { v in
                    grad.scalars.withUnsafeBufferPointer { g in
                        parallelRanges(g.count) { range in
                            for i in range {
                                let d = wd != 0 ? g[i] + wd * pv[i] : g[i]
                                v[i] = first ? d : mu * v[i] + d
                                pv[i] -= lr * v[i]
                            }
                        }
                    }
                }
            }
            velocity[k] = v
        }
    }
}
