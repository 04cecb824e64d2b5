/// `relu(bn(conv(x)))`, the unit most U-Nets repeat, with the fast paths `Sequential` uses for the
/// same three layers: in evaluation without gradients one op (the convolution writes each output
/// through the batch norm's fixed affine map and the ReLU, `conv2dBatchNormReLUForward`); otherwise
/// the convolution, then batch norm and ReLU as one op (`batchNorm2dReLU`: one pass less each way
/// and one tensor less kept for the backward pass). The same result as `bn(conv(x)).relu()`;
/// `conv` and `bn` still report to observers (model summaries, FLOP counts), the fused ones with
/// the fused output. Shapes are `conv`'s: `[N, in, H, W]` → `[N, out, H', W']`.
///
/// `between` is a module that runs between the convolution and the batch norm and is the identity
/// in evaluation mode (SA-UNet's DropBlock, a dropout): `relu(bn(between(conv(x))))`. In
/// evaluation without gradients the one op runs and `between` sees its output (it checks its
/// settings and reports to observers in its place, conv → between → bn, and must return its input
/// unchanged there).
public func convBatchNormReLU(_ input: Variable, _ conv: Conv2d, _ bn: BatchNorm2d,
                              between: Module? = nil) throws -> Variable {
    if !Autograd.isEnabled && !bn.isTraining && !(between?.isTraining ?? false) {
        let y = try conv.forwardWithBatchNormReLU(input, bn)
        _ = conv.observed(y)
        if let between { _ = try between(y) }
        return bn.observed(y)
    }
    var z = try conv(input)
    if let between { z = try between(z) }
    return bn.observed(try bn.forwardWithReLU(z))
}
