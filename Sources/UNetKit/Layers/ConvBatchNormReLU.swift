/// `relu(bn(conv(x)))`, the unit most U-Nets repeat, with the fast paths `Sequential` uses for the
/// same three layers: in evaluation without gradients one op (the convolution writes each output
/// through the batch norm's fixed affine map and the ReLU, `conv2dBatchNormReLUForward`); otherwise
/// the convolution, then batch norm and ReLU as one op (`batchNorm2dReLU`: one pass less each way
/// and one tensor less kept for the backward pass). The same result as `bn(conv(x)).relu()`;
/// `conv` and `bn` still report to observers (model summaries, FLOP counts), the fused ones with
/// the fused output. Shapes are `conv`'s: `[N, in, H, W]` → `[N, out, H', W']`.
public func convBatchNormReLU(_ input: Variable, _ conv: Conv2d, _ bn: BatchNorm2d) throws -> Variable {
    if !Autograd.isEnabled && !bn.isTraining {
        let y = try conv.forwardWithBatchNormReLU(input, bn)
        _ = conv.observed(y)
        return bn.observed(y)
    }
    return bn.observed(try bn.forwardWithReLU(conv(input)))
}
