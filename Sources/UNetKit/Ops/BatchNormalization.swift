/// Batch normalisation over `[N, C, H, W]`, per channel (PyTorch's `F.batch_norm`).
///
/// Training:  μ_c, σ²_c = mean and biased variance over (n, h, w);
///            x̂ = (x − μ_c) / √(σ²_c + ε);  y = γ_c · x̂ + β_c.
/// Evaluation: the same with the running mean and variance instead of μ_c, σ²_c.
///
/// Backward (training), with M = N·H·W and g = dy·γ:
///     dx = (1 / (M·√(σ² + ε))) · (M·g − Σg − x̂ · Σ(g·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy.
/// Backward (evaluation): dx = dy · γ / √(running σ² + ε).

/// What the training forward computed, kept for the backward pass.
struct BatchNormStatistics<S: KernelScalar> {
    var mean: [S]
    /// Biased variance (divided by M), the one used to normalise.
    var variance: [S]
    var invStd: [S]
}

/// Training forward: returns y and the batch statistics. `channels` = C, `plane` = H·W.
func batchNormTrainForward<S: KernelScalar>(_ x: [S], gamma: [S], beta: [S], batch: Int, channels: Int,
                                            plane: Int, eps: S) -> (y: [S], stats: BatchNormStatistics<S>) {
    var mean = [S](repeating: 0, count: channels)
    var variance = [S](repeating: 0, count: channels)
    let m = Double(batch * plane)
    x.withUnsafeBufferPointer { x in
        mean.withSharedBuffer { mean in
            variance.withSharedBuffer { variance in
                parallelFor(channels) { c in
                    var sum = 0.0
                    for n in 0..<batch { for i in 0..<plane { sum += Double(x[(n * channels + c) * plane + i]) } }
                    let mu = sum / m
                    var squares = 0.0
                    for n in 0..<batch {
                        for i in 0..<plane { let d = Double(x[(n * channels + c) * plane + i]) - mu; squares += d * d }
                    }
                    mean[c] = S(mu)
                    variance[c] = S(squares / m)
                }
            }
        }
    }
    let invStd = inverseStandardDeviation(variance, eps: eps)
    let y = batchNormApply(x, mean: mean, invStd: invStd, gamma: gamma, beta: beta,
                           batch: batch, channels: channels, plane: plane)
    return (y, BatchNormStatistics(mean: mean, variance: variance, invStd: invStd))
}

/// y = γ·(x − mean)·invStd + β, per channel (the evaluation forward passes running statistics).
func batchNormApply<S: KernelScalar>(_ x: [S], mean: [S], invStd: [S], gamma: [S], beta: [S],
                                     batch: Int, channels: Int, plane: Int) -> [S] {
    var y = [S](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { x in
        y.withSharedBuffer { y in
            parallelFor(batch * channels) { nc in
                let c = nc % channels
                let scale = gamma[c] * invStd[c]
                let shift = beta[c] - mean[c] * scale
                let base = nc * plane
                for i in 0..<plane { y[base + i] = x[base + i] * scale + shift }
            }
        }
    }
    return y
}

/// Backward in either mode: returns dx, dγ, dβ. In training the batch statistics depend on x
/// (the full formula); in evaluation they are constants.
func batchNormBackward<S: KernelScalar>(_ dy: [S], _ x: [S], gamma: [S], mean: [S], invStd: [S], training: Bool,
                                        batch: Int, channels: Int, plane: Int) -> (dx: [S], dgamma: [S], dbeta: [S]) {
    var dx = [S](repeating: 0, count: x.count)
    var dgamma = [S](repeating: 0, count: channels)
    var dbeta = [S](repeating: 0, count: channels)
    let m = S(batch * plane)
    dy.withUnsafeBufferPointer { dy in
        x.withUnsafeBufferPointer { x in
            dx.withSharedBuffer { dx in
                dgamma.withSharedBuffer { dgamma in
                    dbeta.withSharedBuffer { dbeta in
                        parallelFor(channels) { c in
                            var sumDy = 0.0, sumDyXhat = 0.0
                            for n in 0..<batch {
                                let base = (n * channels + c) * plane
                                for i in 0..<plane {
                                    let xhat = (x[base + i] - mean[c]) * invStd[c]
                                    sumDy += Double(dy[base + i])
                                    sumDyXhat += Double(dy[base + i] * xhat)
                                }
                            }
                            dgamma[c] = S(sumDyXhat)
                            dbeta[c] = S(sumDy)
                            let scale = gamma[c] * invStd[c]
                            for n in 0..<batch {
                                let base = (n * channels + c) * plane
                                for i in 0..<plane {
                                    if training {
                                        let xhat = (x[base + i] - mean[c]) * invStd[c]
                                        dx[base + i] = scale / m * (m * dy[base + i] - S(sumDy) - xhat * S(sumDyXhat))
                                    } else {
                                        dx[base + i] = scale * dy[base + i]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return (dx, dgamma, dbeta)
}

/// Differentiable batch normalisation. In training mode it normalises with the batch
/// statistics and updates `runningMean`/`runningVar` in place (momentum m:
/// `running = (1 − m)·running + m·batch`, the variance unbiased: ×M/(M−1)); in evaluation
/// mode it uses them. Input `[N, C, H, W]`; weight (γ), bias (β), running stats `[C]`.
public func batchNorm2d(_ input: Variable, weight: Variable, bias: Variable, runningMean: inout Tensor,
                        runningVar: inout Tensor, training: Bool, momentum: Float = 0.1,
                        eps: Float = 1e-5) throws -> Variable {
    let x = input.value
    let (n, c, plane) = try batchNormShapes(x, weight: weight.value, bias: bias.value,
                                            runningMean: runningMean, runningVar: runningVar, training: training)
    let gamma = weight.value.scalars
    let mean: [Float], invStd: [Float], y: [Float]
    if training {
        let result = batchNormTrainForward(x.scalars, gamma: gamma, beta: bias.value.scalars,
                                           batch: n, channels: c, plane: plane, eps: eps)
        (y, mean, invStd) = (result.y, result.stats.mean, result.stats.invStd)
        updateRunningStatistics(&runningMean, &runningVar, mean: mean, variance: result.stats.variance,
                                count: n * plane, momentum: momentum)
    } else {
        mean = runningMean.scalars
        invStd = inverseStandardDeviation(runningVar.scalars, eps: eps)
        y = batchNormApply(x.scalars, mean: mean, invStd: invStd, gamma: gamma, beta: bias.value.scalars,
                           batch: n, channels: c, plane: plane)
    }
    return Variable(try Tensor(shape: x.shape, scalars: y), parents: [input, weight, bias]) { dy in
        let g = batchNormBackward(dy.scalars, x.scalars, gamma: gamma, mean: mean, invStd: invStd,
                                  training: training, batch: n, channels: c, plane: plane)
        return [try Tensor(shape: x.shape, scalars: g.dx), try Tensor(shape: [c], scalars: g.dgamma),
                try Tensor(shape: [c], scalars: g.dbeta)]
    }
}

/// 1 / √(σ² + ε) per channel.
func inverseStandardDeviation<S: KernelScalar>(_ variance: [S], eps: S) -> [S] {
    variance.map { 1 / ($0 + eps).squareRoot() }
}

/// Checks a batch-norm input `[N, C, H, W]` against its parameters and running statistics
/// `[C]`; returns N, C and H·W.
func batchNormShapes(_ x: Tensor, weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor,
                     training: Bool) throws -> (batch: Int, channels: Int, plane: Int) {
    try requireRank(x, 4, "input", "N×C×H×W")
    let (n, c, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
    for (name, t) in [("weight", weight), ("bias", bias), ("running_mean", runningMean),
                      ("running_var", runningVar)] where t.shape != [c] {
        throw ShapeError("batch_norm: expected \(name) of shape [\(c)] for input\(shapeString(x.shape)) "
                         + "with \(c) channels, but got \(shapeString(t.shape))")
    }
    if training && n * plane <= 1 {
        throw ShapeError("batch_norm in training mode expects more than 1 value per channel, "
                         + "but got input of shape \(shapeString(x.shape))")
    }
    return (n, c, plane)
}

/// running = (1 − m)·running + m·batch, the variance made unbiased (×M/(M−1)), as PyTorch does.
func updateRunningStatistics(_ runningMean: inout Tensor, _ runningVar: inout Tensor, mean: [Float], variance: [Float],
                             count: Int, momentum: Float) {
    let unbiased = Float(count) / Float(count - 1)
    for i in 0..<mean.count {
        runningMean.scalars[i] = (1 - momentum) * runningMean.scalars[i] + momentum * mean[i]
        runningVar.scalars[i] = (1 - momentum) * runningVar.scalars[i] + momentum * variance[i] * unbiased
    }
}
