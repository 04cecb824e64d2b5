import CBLAS

/// `convTranspose2d`: transposed convolution ("deconvolution", PyTorch's `ConvTranspose2d`),
/// the adjoint of `conv2d`: every input pixel scatters a weighted copy of the kernel into
/// the output.
///
///     y[n, co, i·s − p + ki·d, j·s − p + kj·d] += x[n, ci, i, j] · w[ci, co, ki, kj]
///
/// Shapes: input `[N, Cin, H, W]`, weight `[Cin, Cout, kH, kW]` (in and out swapped with
/// respect to `conv2d`, as in PyTorch), bias `[Cout]`, output `[N, Cout, Hout, Wout]` with
/// `Hout = (H − 1)·s − 2p + d·(kH − 1) + output_padding + 1` (PyTorch's formula; d is the
/// dilation, 1 by default). k 3, s 2, p 1 maps 3×3 to 5×5; adding output_padding 1 gives 6×6,
/// an exact doubling (the usual port of Keras' `Conv2DTranspose(3, strides=2, padding="same")`);
/// k 2, s 2, p 0 and k 4, s 2, p 1 double the size too. output_padding extends the output at the
/// bottom and right: rows and columns that the padding p would otherwise crop away (and, beyond
/// those, rows no input reaches, which hold the bias). It must be smaller than the stride or the
/// dilation, as in PyTorch.
///
/// Backward: dL/dx is the ordinary convolution of dL/dy with w (stride s, padding p, dilation d);
/// dL/dw[ci, co, ki, kj] = Σ x[n, ci, i, j] · dy[n, co, i·s − p + ki·d, j·s − p + kj·d].

/// The sizes of a transposed convolution, given as the ordinary convolution it is the
/// adjoint of: that convolution maps the output `[N, Cout, Hout, Wout]` back to the input.
public func convTransposeGeometry(input: [Int], weight: [Int], bias: [Int]?, stride: Int, padding: Int,
                                  outputPadding: Int = 0, dilation: Int = 1) throws -> ConvGeometry {
    guard input.count == 4, weight.count == 4 else {
        throw ShapeError("expected a 4-D input [N, C, H, W] and a 4-D weight [in, out, kH, kW] for conv_transpose2d, "
                         + "but got input of shape \(shapeString(input)) and weight of shape \(shapeString(weight))")
    }
    guard stride >= 1, padding >= 0 else {
        throw ShapeError("expected stride ≥ 1 and padding ≥ 0, but got stride \(stride), padding \(padding)")
    }
    guard dilation >= 1 else {
        throw ShapeError("expected dilation ≥ 1 for conv_transpose2d, but got dilation \(dilation)")
    }
    guard outputPadding >= 0, outputPadding < stride || outputPadding < dilation else {
        throw ShapeError("output padding must be ≥ 0 and smaller than either stride or dilation, but got "
                         + "output_padding \(outputPadding), stride \(stride), dilation \(dilation)")
    }
    guard input[1] == weight[0] else {
        throw ShapeError("weight of size \(shapeString(weight)), expected input\(shapeString(input)) "
                         + "to have \(weight[0]) channels, but got \(input[1]) channels instead")
    }
    if let bias, bias != [weight[1]] {
        throw ShapeError("expected bias of shape [\(weight[1])] for weight \(shapeString(weight)), but got \(shapeString(bias))")
    }
    let outH = (input[2] - 1) * stride - 2 * padding + dilation * (weight[2] - 1) + outputPadding + 1
    let outW = (input[3] - 1) * stride - 2 * padding + dilation * (weight[3] - 1) + outputPadding + 1
    guard outH >= 1, outW >= 1 else {
        throw ShapeError("conv_transpose2d of input\(shapeString(input)) with kernel \(weight[2])×\(weight[3]), "
                         + "stride \(stride), padding \(padding) gives an empty output (\(outH)×\(outW))")
    }
    // The convolution of the output with stride s maps Hout back to exactly H rows because
    // output_padding < s (or it adds rows a dilated kernel cannot reach when output_padding < d).
    return ConvGeometry(batch: input[0], inChannels: weight[1], height: outH, width: outW,
                        outChannels: weight[0], kernelHeight: weight[2], kernelWidth: weight[3],
                        stride: stride, padding: padding, dilation: dilation)
}

// MARK: - Naive loops (the reference)

/// Forward by scattering, as plain loops. `g` comes from `convTransposeGeometry`:
/// `g.outChannels` is Cin, `g.inChannels` is Cout, `g.outHeight × g.outWidth` is H × W.
func convTranspose2dNaiveForward<S: KernelScalar>(_ x: [S], _ w: [S], _ b: [S]?, _ g: ConvGeometry) -> [S] {
    let (cin, cout, h, wd) = (g.outChannels, g.inChannels, g.outHeight, g.outWidth)
    let (oh, ow, kh, kw) = (g.height, g.width, g.kernelHeight, g.kernelWidth)
    var y = [S](repeating: 0, count: g.batch * cout * oh * ow)
    for n in 0..<g.batch {
        for co in 0..<cout {
            let bias = b?[co] ?? 0
            for o in 0..<(oh * ow) { y[(n * cout + co) * oh * ow + o] = bias }
        }
        for ci in 0..<cin {
            for i in 0..<h {
                for j in 0..<wd {
                    let xv = x[((n * cin + ci) * h + i) * wd + j]
                    for co in 0..<cout {
                        for ki in 0..<kh {
                            let row = i * g.stride - g.padding + ki * g.dilation
                            if row < 0 || row >= oh { continue }
                            for kj in 0..<kw {
                                let col = j * g.stride - g.padding + kj * g.dilation
                                if col < 0 || col >= ow { continue }
                                y[((n * cout + co) * oh + row) * ow + col] += xv * w[((ci * cout + co) * kh + ki) * kw + kj]
                            }
                        }
                    }
                }
            }
        }
    }
    return y
}

/// Backward as plain loops: each forward product `x · w` sends `dy · w` to dx and `dy · x` to dw.
func convTranspose2dNaiveBackward<S: KernelScalar>(_ dy: [S], _ x: [S], _ w: [S], _ g: ConvGeometry)
    -> (dx: [S], dw: [S], db: [S]) {
    let (cin, cout, h, wd) = (g.outChannels, g.inChannels, g.outHeight, g.outWidth)
    let (oh, ow, kh, kw) = (g.height, g.width, g.kernelHeight, g.kernelWidth)
    var dx = [S](repeating: 0, count: x.count)
    var dw = [S](repeating: 0, count: w.count)
    for n in 0..<g.batch {
        for ci in 0..<cin {
            for i in 0..<h {
                for j in 0..<wd {
                    let xi = ((n * cin + ci) * h + i) * wd + j
                    for co in 0..<cout {
                        for ki in 0..<kh {
                            let row = i * g.stride - g.padding + ki * g.dilation
                            if row < 0 || row >= oh { continue }
                            for kj in 0..<kw {
                                let col = j * g.stride - g.padding + kj * g.dilation
                                if col < 0 || col >= ow { continue }
                                let grad = dy[((n * cout + co) * oh + row) * ow + col]
                                let wi = ((ci * cout + co) * kh + ki) * kw + kj
                                dx[xi] += grad * w[wi]
                                dw[wi] += grad * x[xi]
                            }
                        }
                    }
                }
            }
        }
    }
    return (dx, dw, conv2dBiasBackward(dy, channels: cout, batch: g.batch))
}

// MARK: - Tensors and autograd

/// The input as the adjoint convolution `g` sees it, `[N, Cin, g.outHeight, g.outWidth]`: the
/// input itself when output_padding < stride; when output_padding ≥ stride (allowed with
/// output_padding < dilation) that convolution has ⌊output_padding / stride⌋ more output rows
/// and columns than the input, at the bottom and right, and they are zeros.
private func adjointInput(_ x: Tensor, _ g: ConvGeometry) -> [Float] {
    let (h, w) = (x.shape[2], x.shape[3])
    if h == g.outHeight && w == g.outWidth { return x.scalars }
    return shiftPlanes(x.scalars, planes: x.shape[0] * x.shape[1], srcHeight: h, srcWidth: w,
                       dstHeight: g.outHeight, dstWidth: g.outWidth, rowShift: 0, colShift: 0)
}

/// Transposed convolution forward on tensors.
public func convTranspose2dForward(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0,
                                   outputPadding: Int = 0, dilation: Int = 1,
                                   backend: ConvolutionBackend = .blas) throws -> Tensor {
    let g = try convTransposeGeometry(input: input.shape, weight: weight.shape, bias: bias?.shape,
                                      stride: stride, padding: padding, outputPadding: outputPadding, dilation: dilation)
    let x = adjointInput(input, g)
    var y: [Float]
    switch backend {
    case .naive:
        y = convTranspose2dNaiveForward(x, weight.scalars, bias?.scalars, g)
    case .blas, .winograd:
        // The forward of a transposed convolution is the data-backward of its convolution.
        y = conv2dBLASBackwardData(x, weight.scalars, g)
        if let b = bias?.scalars { addChannelBias(&y, b, batch: g.batch) }
    }
    return try Tensor(shape: g.inputShape, scalars: y)
}

/// Transposed convolution backward on tensors: dL/dinput, dL/dweight, dL/dbias.
public func convTranspose2dBackward(_ gradOutput: Tensor, input: Tensor, weight: Tensor, stride: Int = 1,
                                    padding: Int = 0, outputPadding: Int = 0, dilation: Int = 1,
                                    backend: ConvolutionBackend = .blas) throws
    -> (input: Tensor, weight: Tensor, bias: Tensor) {
    let g = try convTransposeGeometry(input: input.shape, weight: weight.shape, bias: nil, stride: stride, padding: padding,
                                      outputPadding: outputPadding, dilation: dilation)
    guard gradOutput.shape == g.inputShape else {
        throw ShapeError("expected gradOutput of shape \(shapeString(g.inputShape)), but got \(shapeString(gradOutput.shape))")
    }
    let x = adjointInput(input, g)
    var (dx, dw, db): ([Float], [Float], [Float])
    switch backend {
    case .naive:
        (dx, dw, db) = convTranspose2dNaiveBackward(gradOutput.scalars, x, weight.scalars, g)
    case .blas, .winograd:
        dx = conv2dBLASForward(gradOutput.scalars, weight.scalars, nil, g)
        dw = conv2dBLASBackwardWeight(x, gradOutput.scalars, g)
        db = conv2dBiasBackward(gradOutput.scalars, channels: g.inChannels, batch: g.batch)
    }
    let (h, w) = (input.shape[2], input.shape[3])
    if h != g.outHeight || w != g.outWidth {       // drop the gradient of the zero rows adjointInput added
        dx = shiftPlanes(dx, planes: input.shape[0] * input.shape[1], srcHeight: g.outHeight, srcWidth: g.outWidth,
                         dstHeight: h, dstWidth: w, rowShift: 0, colShift: 0)
    }
    return (try Tensor(shape: input.shape, scalars: dx), try Tensor(shape: weight.shape, scalars: dw),
            try Tensor(shape: [g.inChannels], scalars: db))
}

/// Differentiable transposed convolution.
public func convTranspose2d(_ input: Variable, weight: Variable, bias: Variable? = nil, stride: Int = 1,
                            padding: Int = 0, outputPadding: Int = 0, dilation: Int = 1,
                            backend: ConvolutionBackend = .blas) throws -> Variable {
    let y = try convTranspose2dForward(input.value, weight: weight.value, bias: bias?.value, stride: stride,
                                       padding: padding, outputPadding: outputPadding, dilation: dilation,
                                       backend: backend)
    let (x, w) = (input.value, weight.value)
    var parents = [input, weight]
    if let bias { parents.append(bias) }
    return Variable(y, parents: parents) { dy in
        let grads = try convTranspose2dBackward(dy, input: x, weight: w, stride: stride, padding: padding,
                                                outputPadding: outputPadding, dilation: dilation, backend: backend)
        return [grads.input, grads.weight, grads.bias]
    }
}

/// y[n, c, …] += b[c] for a `[N, C, …]` buffer.
func addChannelBias(_ y: inout [Float], _ b: [Float], batch: Int) {
    let plane = y.count / max(1, batch * b.count)
    y.withUnsafeMutableBufferPointer { y in
        for n in 0..<batch {
            for c in 0..<b.count {
                let base = (n * b.count + c) * plane
                for i in 0..<plane { y[base + i] += b[c] }
            }
        }
    }
}
