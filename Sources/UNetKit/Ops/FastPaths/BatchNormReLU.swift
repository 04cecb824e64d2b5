import CVectorKernels

/// Batch normalisation followed by ReLU as one op — the fast path for the UNet's
/// `BatchNorm2d → ReLU` pairs (`Sequential` fuses them; see `Sequential.fusesBatchNormReLU`).
///
/// The same arithmetic as `batchNorm2d` then `relu` (`BatchNormalization.swift`,
/// `Activations.swift`), with x `[N, C, H, W]`, M = N·H·W per channel:
///
///     forward   y = max(0, γ·x̂ + β),   x̂ = (x − μ)·invStd
///     backward  g = dy where y > 0, else 0;  dγ = Σ g·x̂,  dβ = Σ g
///               dx = γ·invStd/M · (M·g − Σg − x̂·Σ(g·x̂))      (training)
///               dx = γ·invStd · g                             (evaluation)
///
/// The statistics and the backward take one job per channel, its passes back to back, so a
/// channel's planes are still in cache for the next pass. The per-plane loops are C
/// (`CVectorKernels`, compiled for AVX-512, AVX2 and the baseline); their sums run in 8 float
/// lanes and blocks of 512 values before carrying on in Double. It keeps one tensor per pair
/// instead of two (the normalised values before ReLU are never stored).

/// Differentiable `relu(batchNorm2d(x))`; updates the running statistics in training mode exactly
/// as `batchNorm2d` does.
public func batchNorm2dReLU(_ input: Variable, weight: Variable, bias: Variable, runningMean: inout Tensor,
                            runningVar: inout Tensor, training: Bool, momentum: Float = 0.1,
                            eps: Float = 1e-5) throws -> Variable {
    let x = input.value
    let (n, c, plane) = try batchNormShapes(x, weight: weight.value, bias: bias.value,
                                            runningMean: runningMean, runningVar: runningVar, training: training)
    let (gamma, beta) = (weight.value.scalars, bias.value.scalars)
    let mean: [Float], invStd: [Float]
    if training {
        let (batchMean, variance) = channelMeanAndVariance(x.scalars, batch: n, channels: c, plane: plane)
        updateRunningStatistics(&runningMean, &runningVar, mean: batchMean, variance: variance,
                                count: n * plane, momentum: momentum)
        (mean, invStd) = (batchMean, inverseStandardDeviation(variance, eps: eps))
    } else {
        (mean, invStd) = (runningMean.scalars, inverseStandardDeviation(runningVar.scalars, eps: eps))
    }
    let y = batchNormReLUForward(x.scalars, ChannelAffineReLU(mean: mean, invStd: invStd, gamma: gamma, beta: beta),
                                 batch: n, channels: c, plane: plane)
    let output = Tensor(unchecked: x.shape, y)
    return Variable(output, parents: [input, weight, bias]) { dy in
        let g = batchNormReLUBackward(dy.scalars, x.scalars, output: y, gamma: gamma, mean: mean, invStd: invStd,
                                      training: training, batch: n, channels: c, plane: plane)
        return [Tensor(unchecked: x.shape, g.dx), Tensor(unchecked: [c], g.dgamma), Tensor(unchecked: [c], g.dbeta)]
    }
}

/// Per-channel mean and biased variance (two passes: the mean, then squares about it).
func channelMeanAndVariance(_ x: [Float], batch: Int, channels: Int, plane: Int) -> (mean: [Float], variance: [Float]) {
    var mean = [Float](repeating: 0, count: channels), variance = [Float](repeating: 0, count: channels)
    let m = Double(batch * plane)
    x.withUnsafeBufferPointer { x in
        mean.withSharedBuffer { meanOut in
            variance.withSharedBuffer { varianceOut in
                parallelFor(channels) { c in
                    let planes = (0..<batch).map { x.baseAddress! + ($0 * channels + c) * plane }
                    let mu = planes.reduce(0.0) { $0 + blockSum($1, plane) { $0 } } / m
                    let center = Float(mu)
                    // Squares about the float32 mean, corrected for its rounding: Σ(x − c)² − M·(μ − c)².
                    let squares = planes.reduce(0.0) { $0 + blockSum($1, plane) { ($0 - center) * ($0 - center) } }
                    let shift = mu - Double(center)
                    meanOut[c] = Float(mu)
                    varianceOut[c] = Float(max(0, squares / m - shift * shift))
                }
            }
        }
    }
    return (mean, variance)
}

/// Σ f(x[i]) over `count` floats: 8 lanes at a time, each block of 512 values summed in float
/// and carried in Double.
@inline(__always)
private func blockSum(_ x: UnsafePointer<Float>, _ count: Int, _ f: (SIMD8<Float>) -> SIMD8<Float>) -> Double {
    var total = 0.0
    var i = 0
    while i + 8 <= count {
        var lanes = SIMD8<Float>()
        let end = min(count, i + 512) - 7
        while i < end {
            lanes += f(load8(x + i))
            i += 8
        }
        total += Double(lanes.sum())
    }
    var tail = SIMD8<Float>()
    for k in i..<count { tail[k - i] = x[k] }
    let rest = f(tail)
    for k in 0..<(count - i) { total += Double(rest[k]) }
    return total
}

/// Batch normalisation with fixed statistics, then ReLU: y = max(0, x·scale_c + shift_c) with
/// scale = γ·invStd and shift = β − μ·scale, the same arithmetic as `batchNormApply` then `relu`.
struct ChannelAffineReLU {
    var mean: [Float], invStd: [Float], gamma: [Float], beta: [Float]
    @inline(__always) func scale(_ c: Int) -> Float { gamma[c] * invStd[c] }
    @inline(__always) func shift(_ c: Int) -> Float { beta[c] - mean[c] * scale(c) }
}

/// y = max(0, x·scale + shift) per channel (`ChannelAffineReLU`).
func batchNormReLUForward(_ x: [Float], _ affine: ChannelAffineReLU, batch: Int, channels: Int, plane: Int) -> [Float] {
    var y = uninitializedArray(x.count)
    x.withUnsafeBufferPointer { x in
        y.withSharedBuffer { y in
            parallelFor(batch * channels) { nc in
                let c = nc % channels
                let (scale, shift) = (affine.scale(c), affine.shift(c))
                vk_affine_relu(x.baseAddress! + nc * plane, y.base + nc * plane, plane, scale, shift)
            }
        }
    }
    return y
}

/// dx, dγ, dβ for dL/dy of `max(0, bn(x))`; `output` is y (its sign gates the gradient).
func batchNormReLUBackward(_ dy: [Float], _ x: [Float], output y: [Float], gamma: [Float], mean: [Float],
                           invStd: [Float], training: Bool, batch: Int, channels: Int, plane: Int)
    -> (dx: [Float], dgamma: [Float], dbeta: [Float]) {
    var dx = uninitializedArray(x.count)
    var dgamma = [Float](repeating: 0, count: channels), dbeta = [Float](repeating: 0, count: channels)
    let m = Float(batch * plane)
    dy.withUnsafeBufferPointer { dy in x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in
        dx.withSharedBuffer { dx in dgamma.withSharedBuffer { dgammaOut in dbeta.withSharedBuffer { dbetaOut in
            parallelFor(channels) { c in
                let (mu, inv) = (mean[c], invStd[c])
                var sumG = 0.0, sumGXhat = 0.0
                for n in 0..<batch {
                    let base = (n * channels + c) * plane
                    vk_bn_relu_backward_sums(dy.baseAddress! + base, y.baseAddress! + base, x.baseAddress! + base, plane,
                                             mu, inv, &sumG, &sumGXhat)
                }
                dgammaOut[c] = Float(sumGXhat)
                dbetaOut[c] = Float(sumG)
                let scale = gamma[c] * inv
                for n in 0..<batch {
                    let base = (n * channels + c) * plane
                    vk_bn_relu_backward_dx(dy.baseAddress! + base, y.baseAddress! + base, x.baseAddress! + base,
                                           dx.base + base, plane, mu, inv, scale, m, Float(sumG), Float(sumGXhat),
                                           training ? 1 : 0)
                }
            }
        } } }
    } } }
    return (dx, dgamma, dbeta)
}
