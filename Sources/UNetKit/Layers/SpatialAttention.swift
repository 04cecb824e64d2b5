/// Spatial attention (the SA-UNet block; the spatial half of CBAM): a per-pixel gate computed
/// from the channel-wise mean and maximum.
///
///     m = cat([meanOverChannels(x), maxOverChannels(x)])   [N, 2, H, W]   (order: mean, max)
///     a = sigmoid(conv(m))                                  [N, 1, H, W]   (7×7, 2 → 1, padding 3, no bias)
///     y = x · a                                              [N, C, H, W]   (a broadcast over the channels)
///
/// Parameter: `conv.weight` `[1, 2, k, k]`, as in a PyTorch module with a `self.conv =
/// nn.Conv2d(2, 1, 7, padding=3, bias=False)`. Any odd kernel size keeps H × W (padding k/2).
public final class SpatialAttention: Module {
    public let conv: Conv2d

    public init(kernelSize: Int = 7) {
        conv = Conv2d(2, 1, kernelSize: kernelSize, padding: kernelSize / 2, bias: false)
    }

    /// The attention map a `[N, 1, H, W]`, values in (0, 1).
    public func attentionMap(_ input: Variable) throws -> Variable {
        let pooled = try concatChannels([meanOverChannels(input), maxOverChannels(input)])
        return try conv(pooled).sigmoid()
    }

    public override func forward(_ input: Variable) throws -> Variable {
        try input * attentionMap(input)
    }
}
