/// `conv2d`: 2-D convolution (PyTorch's `F.conv2d` with groups 1), forward and backward, with
/// a choice of implementation.
///
/// Shapes: input `[N, Cin, H, W]`, weight `[Cout, Cin, kH, kW]`, bias `[Cout]`,
/// output `[N, Cout, (H + 2p − d·(kH − 1) − 1)/s + 1, (W + 2p − d·(kW − 1) − 1)/s + 1]`
/// for stride s, padding p, dilation d. Dilation (d ≥ 1) spaces the kernel taps d pixels apart;
/// a 1×1 kernel has a single tap, so its dilation changes nothing (as in PyTorch). The naive
/// and im2col + BLAS paths handle every dilation; Winograd only 3×3 stride 1 dilation 1, and
/// `.winograd` sends every other convolution to im2col + BLAS.

/// Which implementation of the convolution to run. All three compute the same convolution, up to
/// float rounding (the tests hold each to PyTorch's result and Winograd to an error bound).
public enum ConvolutionBackend: String, CaseIterable, Sendable {
    /// Plain loops (`Conv2dNaive.swift`): the reference, for reading.
    case naive
    /// im2col + `cblas_sgemm` (`Conv2dBLAS.swift`).
    case blas
    /// Winograd F(2×2, 3×3) + `cblas_sgemm` (`Conv2dWinograd.swift`) for 3×3 stride-1 kernels,
    /// im2col + BLAS for every other shape: the fast path the layers use.
    case winograd
}

/// Convolution forward on tensors. Throws `ShapeError` on mismatched shapes, e.g.
/// "weight of size [64, 3, 3, 3], expected input[4, 1, 128, 128] to have 3 channels, but got 1 channels instead".
public func conv2dForward(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0,
                          dilation: Int = 1, backend: ConvolutionBackend = .blas) throws -> Tensor {
    try conv2dForward(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                      backend: backend, evaluation: false, winogradWeights: nil)
}

/// The same, for a layer in evaluation mode or not (`WinogradTiling.tile(for:evaluation:)`), with
/// the Winograd-transformed weights when the caller has them (`WinogradWeightCache`).
func conv2dForward(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int, dilation: Int,
                   backend: ConvolutionBackend, evaluation: Bool,
                   winogradWeights: ((_ tile: Int) -> [Float])?) throws -> Tensor {
    let g = try ConvGeometry(input: input.shape, weight: weight.shape, bias: bias?.shape,
                             stride: stride, padding: padding, dilation: dilation)
    let y: [Float]
    switch backend {
    case .naive: y = conv2dNaiveForward(input.scalars, weight.scalars, bias?.scalars, g)
    case .blas: y = conv2dBLASForward(input.scalars, weight.scalars, bias?.scalars, g)
    case .winograd:
        if winogradApplies(g) {
            let tile = WinogradTiling.tile(for: g, evaluation: evaluation)
            y = conv2dWinogradForward(input.scalars, weight.scalars, bias?.scalars, g, tile: tile,
                                      transformed: winogradWeights?(tile))
        } else {
            y = conv2dBLASForward(input.scalars, weight.scalars, bias?.scalars, g)
        }
    }
    return try Tensor(shape: g.outputShape, scalars: y)
}

/// Evaluation only: `relu(batchNorm(conv2d(x)))` with the batch norm's fixed (running) statistics,
/// without a graph. The Winograd path applies the batch norm and ReLU as it writes each output
/// (one pass over the output less); the other paths apply them after. `Sequential` uses it for
/// `Conv2d → BatchNorm2d → ReLU` in evaluation mode when gradients are off.
func conv2dBatchNormReLUForward(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int,
                                dilation: Int = 1, backend: ConvolutionBackend, winogradWeights: ((_ tile: Int) -> [Float])? = nil,
                                then affine: ChannelAffineReLU) throws -> Tensor {
    let g = try ConvGeometry(input: input.shape, weight: weight.shape, bias: bias?.shape, stride: stride, padding: padding,
                             dilation: dilation)
    guard affine.mean.count == g.outChannels else {
        throw ShapeError("batch_norm: expected \(g.outChannels) channels after the convolution, but got \(affine.mean.count)")
    }
    if backend == .winograd && winogradApplies(g) {
        let tile = WinogradTiling.tile(for: g, evaluation: true)
        return Tensor(unchecked: g.outputShape,
                      conv2dWinogradForward(input.scalars, weight.scalars, bias?.scalars, g, tile: tile,
                                            transformed: winogradWeights?(tile), then: affine))
    }
    let y = try conv2dForward(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                              backend: backend, evaluation: true, winogradWeights: winogradWeights)
    return Tensor(unchecked: y.shape, batchNormReLUForward(y.scalars, affine, batch: g.batch, channels: g.outChannels,
                                                            plane: g.outHeight * g.outWidth))
}

/// Convolution backward on tensors: dL/dinput, dL/dweight, dL/dbias for dL/doutput.
public func conv2dBackward(_ gradOutput: Tensor, input: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0,
                           dilation: Int = 1, backend: ConvolutionBackend = .blas) throws
    -> (input: Tensor, weight: Tensor, bias: Tensor) {
    try conv2dBackward(gradOutput, input: input, weight: weight, stride: stride, padding: padding, dilation: dilation,
                       backend: backend, winogradWeights: nil)
}

/// The same, with the Winograd-transformed weights for a tile size when the caller keeps them.
func conv2dBackward(_ gradOutput: Tensor, input: Tensor, weight: Tensor, stride: Int, padding: Int, dilation: Int,
                    backend: ConvolutionBackend, winogradWeights: ((_ tile: Int) -> [Float])?) throws
    -> (input: Tensor, weight: Tensor, bias: Tensor) {
    let g = try ConvGeometry(input: input.shape, weight: weight.shape, bias: nil, stride: stride, padding: padding,
                             dilation: dilation)
    guard gradOutput.shape == g.outputShape else {
        throw ShapeError("expected gradOutput of shape \(shapeString(g.outputShape)), but got \(shapeString(gradOutput.shape))")
    }
    let (dx, dw, db): ([Float], [Float], [Float])
    switch backend {
    case .naive:
        (dx, dw, db) = conv2dNaiveBackward(gradOutput.scalars, input.scalars, weight.scalars, g)
    case .blas:
        dx = conv2dBLASBackwardData(gradOutput.scalars, weight.scalars, g)
        dw = conv2dBLASBackwardWeight(gradOutput.scalars, input.scalars, g)
        db = conv2dBiasBackward(gradOutput.scalars, channels: g.outChannels, batch: g.batch)
    case .winograd:
        if winogradApplies(g) {
            let tile = WinogradTiling.backwardTile(for: g)
            (dx, dw) = conv2dWinogradBackward(gradOutput.scalars, input.scalars, weight.scalars, g, tile: tile,
                                              transformed: winogradWeights?(tile))
        } else {
            dx = conv2dBLASBackwardData(gradOutput.scalars, weight.scalars, g)
            dw = conv2dBLASBackwardWeight(gradOutput.scalars, input.scalars, g)
        }
        db = conv2dBiasBackward(gradOutput.scalars, channels: g.outChannels, batch: g.batch)
    }
    return (try Tensor(shape: input.shape, scalars: dx), try Tensor(shape: weight.shape, scalars: dw),
            try Tensor(shape: [g.outChannels], scalars: db))
}

/// Differentiable convolution: `y = conv2d(x, w) + b`.
public func conv2d(_ input: Variable, weight: Variable, bias: Variable? = nil, stride: Int = 1, padding: Int = 0,
                   dilation: Int = 1, backend: ConvolutionBackend = .blas) throws -> Variable {
    try conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, backend: backend,
               evaluation: false, cache: nil)
}

/// The same for a layer in evaluation mode or not; with `cache` (a `Conv2d` layer's), the
/// Winograd path transforms the kernels once per tile size while the weights stay the same
/// (the backward pass transforms them itself if they changed after the forward pass).
func conv2d(_ input: Variable, weight: Variable, bias: Variable?, stride: Int, padding: Int, dilation: Int,
            backend: ConvolutionBackend, evaluation: Bool, cache: WinogradWeightCache?) throws -> Variable {
    let kernels: ((Int) -> [Float])? = cache.map { cache in { tile in cache.transformed(weight, tile: tile) } }
    let y = try conv2dForward(input.value, weight: weight.value, bias: bias?.value, stride: stride, padding: padding,
                              dilation: dilation, backend: backend, evaluation: evaluation, winogradWeights: kernels)
    let (x, w, version) = (input.value, weight.value, weight.version)
    var parents = [input, weight]
    if let bias { parents.append(bias) }
    return Variable(y, parents: parents) { dy in
        let grads = try conv2dBackward(dy, input: x, weight: w, stride: stride, padding: padding, dilation: dilation,
                                       backend: backend, winogradWeights: weight.version == version ? kernels : nil)
        return [grads.input, grads.weight, grads.bias]
    }
}
