import Foundation

/// Adam (Kingma & Ba 2015) with PyTorch's update (`torch.optim.Adam`, not amsgrad, not
/// maximize). For each parameter θ with gradient g, at its t-th step (t = 1, 2, …):
///
///     g ← g + λ·θ                          L2 weight decay, added to the gradient (λ = weightDecay)
///     m ← m + (1 − β1)·(g − m)             = β1·m + (1 − β1)·g
///     v ← β2·v + (1 − β2)·g²
///     θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
///
/// ε is added *after* the bias correction of v (Keras adds it elsewhere and defaults to 1e-7).
/// m and v start at 0. The bias corrections are computed in Double, the element-wise update in
/// Float, in PyTorch's order. Each parameter counts its own steps: a parameter without a
/// gradient is skipped and does not advance.
///
/// `AdamW` is the same with decoupled weight decay.
public class Adam: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let weightDecay: Double
    /// PyTorch's `decoupled_weight_decay`: θ ← θ·(1 − lr·λ) before the step instead of g ← g + λ·θ.
    public let decoupledWeightDecay: Bool
    /// Steps taken by each parameter (PyTorch's `state[p]["step"]`).
    public private(set) var steps: [Int]
    /// First and second moment estimates per parameter; nil before the parameter's first step.
    public private(set) var firstMoments: [Tensor?]
    public private(set) var secondMoments: [Tensor?]

    /// - Throws: `ShapeError` for a negative learning rate, ε or weight decay, or β outside [0, 1),
    ///   with PyTorch's messages ("Invalid beta parameter at index 0: 1.0").
    public init(_ parameters: [Variable], lr: Float = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) throws {
        guard lr >= 0 else { throw ShapeError("Invalid learning rate: \(lr)") }
        guard eps >= 0 else { throw ShapeError("Invalid epsilon value: \(eps)") }
        guard betas.0 >= 0 && betas.0 < 1 else { throw ShapeError("Invalid beta parameter at index 0: \(betas.0)") }
        guard betas.1 >= 0 && betas.1 < 1 else { throw ShapeError("Invalid beta parameter at index 1: \(betas.1)") }
        guard weightDecay >= 0 else { throw ShapeError("Invalid weight_decay value: \(weightDecay)") }
        self.parameters = parameters
        self.learningRate = lr
        (beta1, beta2) = betas
        self.epsilon = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        steps = Array(repeating: 0, count: parameters.count)
        firstMoments = Array(repeating: nil, count: parameters.count)
        secondMoments = Array(repeating: nil, count: parameters.count)
    }

    /// The type's name in checkpoints.
    var name: String { "Adam" }

    public func step() {
        let lr = Double(learningRate), wd = weightDecay
        let b2 = Float(beta2)
        let (oneMinusB1, oneMinusB2) = (Float(1 - beta1), Float(1 - beta2))
        for (k, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            steps[k] += 1
            let t = Double(steps[k])
            let stepSize = lr / (1 - Foundation.pow(beta1, t))
            let negativeStep = Float(-stepSize)
            let correction2Root = Float((1 - Foundation.pow(beta2, t)).squareRoot())
            let eps = Float(epsilon)
            let decay = Float(wd), shrink = Float(1 - lr * wd)
            let (decoupled, coupled) = (decoupledWeightDecay && wd != 0, !decoupledWeightDecay && wd != 0)
            var m = firstMoments[k] ?? Tensor(zeros: grad.shape)
            var v = secondMoments[k] ?? Tensor(zeros: grad.shape)
            firstMoments[k] = nil   // keep the buffers uniquely referenced: updated in place
            secondMoments[k] = nil
            p.value.scalars.withSharedBuffer { theta in
                m.scalars.withSharedBuffer { m in
                    v.scalars.withSharedBuffer { v in
                        grad.scalars.withUnsafeBufferPointer { g in
                            parallelRanges(g.count) { range in
                                for i in range {
                                    if decoupled { theta[i] *= shrink }
                                    let gi = coupled ? g[i] + decay * theta[i] : g[i]
                                    m[i] = m[i] + oneMinusB1 * (gi - m[i])
                                    v[i] = v[i] * b2 + oneMinusB2 * gi * gi
                                    let denominator = v[i].squareRoot() / correction2Root + eps
                                    theta[i] = theta[i] + negativeStep * m[i] / denominator
                                }
                            }
                        }
                    }
                }
            }
            firstMoments[k] = m
            secondMoments[k] = v
        }
    }

    public func optimizerState() -> (tensors: [(name: String, entry: SafeTensors.Entry)], settings: [String: String]) {
        var tensors: [(name: String, entry: SafeTensors.Entry)] = []
        for k in parameters.indices {
            guard let m = firstMoments[k], let v = secondMoments[k] else { continue }
            tensors.append(("state.\(k).step", SafeTensors.Entry(Tensor(repeating: Float(steps[k]), shape: []), dtype: "I64")))
            tensors.append(("state.\(k).exp_avg", SafeTensors.Entry(m)))
            tensors.append(("state.\(k).exp_avg_sq", SafeTensors.Entry(v)))
        }
        return (tensors, hyperParameters.merging(["lr": "\(learningRate)"]) { a, _ in a })
    }

    /// Everything but the learning rate, as text (compared when loading).
    private var hyperParameters: [String: String] {
        ["optimizer": name, "betas": "\(beta1),\(beta2)", "eps": "\(epsilon)", "weight_decay": "\(weightDecay)",
         "decoupled_weight_decay": "\(decoupledWeightDecay)"]
    }

    public func loadOptimizerState(tensors: [String: Tensor], settings: [String: String]) throws {
        for (key, value) in hyperParameters.sorted(by: { $0.key < $1.key }) {
            try OptimizerStateCheck.require(settings, key, value)
        }
        let lr = try OptimizerStateCheck.learningRate(settings)
        try OptimizerStateCheck.requireParameterCount(tensors, parameters.count)
        var newSteps = steps, newM = firstMoments, newV = secondMoments
        for (k, p) in parameters.enumerated() {
            let m = try OptimizerStateCheck.buffer(tensors, "state.\(k).exp_avg", shape: p.shape)
            let v = try OptimizerStateCheck.buffer(tensors, "state.\(k).exp_avg_sq", shape: p.shape)
            let s = try OptimizerStateCheck.buffer(tensors, "state.\(k).step", shape: [])
            guard (m == nil) == (v == nil) && (m == nil) == (s == nil) else {
                throw CheckpointError("optimizer state: parameter \(k) needs step, exp_avg and exp_avg_sq together")
            }
            newSteps[k] = s.map { Int($0.scalars[0]) } ?? 0
            newM[k] = m
            newV[k] = v
        }
        (steps, firstMoments, secondMoments, learningRate) = (newSteps, newM, newV, lr)
    }
}

/// AdamW (Loshchilov & Hutter 2019), as `torch.optim.AdamW`: Adam whose weight decay is
/// decoupled from the gradient — first θ ← θ·(1 − lr·λ), then the Adam step on the plain
/// gradient. PyTorch's default λ is 0.01.
public final class AdamW: Adam {
    public init(_ parameters: [Variable], lr: Float = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double = 1e-2) throws {
        try super.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    override var name: String { "AdamW" }
}
