/// The sizes of one 2-D convolution (or transposed convolution), checked once and shared
/// by the naive and the BLAS implementations.
///
/// Convolution: input `[N, Cin, H, W]`, weight `[Cout, Cin, kH, kW]`, output
/// `[N, Cout, Hout, Wout]` with `Hout = (H + 2·padding − kH) / stride + 1`.
public struct ConvGeometry: Equatable, Sendable {
    public var batch: Int
    public var inChannels: Int
    public var height: Int
    public var width: Int
    public var outChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var stride: Int
    public var padding: Int

    public init(batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int,
                kernelHeight: Int, kernelWidth: Int, stride: Int = 1, padding: Int = 0) {
        self.batch = batch; self.inChannels = inChannels; self.height = height; self.width = width
        self.outChannels = outChannels; self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.stride = stride; self.padding = padding
    }

    /// Output height of the convolution.
    public var outHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    /// Output width of the convolution.
    public var outWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }

    public var inputShape: [Int] { [batch, inChannels, height, width] }
    public var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
    public var weightShape: [Int] { [outChannels, inChannels, kernelHeight, kernelWidth] }

    /// Checks a convolution's input `[N, Cin, H, W]` against its weight `[Cout, Cin, kH, kW]`
    /// and bias `[Cout]`, with PyTorch's wording for a channel mismatch.
    public init(input: [Int], weight: [Int], bias: [Int]?, stride: Int, padding: Int) throws {
        guard input.count == 4 else {
            throw ShapeError("expected a 4-D input [N, C, H, W] for conv2d, but got input of shape \(shapeString(input))")
        }
        guard weight.count == 4 else {
            throw ShapeError("expected a 4-D weight [out, in, kH, kW] for conv2d, but got weight of shape \(shapeString(weight))")
        }
        guard stride >= 1, padding >= 0 else {
            throw ShapeError("expected stride ≥ 1 and padding ≥ 0, but got stride \(stride), padding \(padding)")
        }
        guard input[1] == weight[1] else {
            throw ShapeError("weight of size \(shapeString(weight)), expected input\(shapeString(input)) "
                             + "to have \(weight[1]) channels, but got \(input[1]) channels instead")
        }
        if let bias, bias != [weight[0]] {
            throw ShapeError("expected bias of shape [\(weight[0])] for weight \(shapeString(weight)), "
                             + "but got bias of shape \(shapeString(bias))")
        }
        self.init(batch: input[0], inChannels: input[1], height: input[2], width: input[3],
                  outChannels: weight[0], kernelHeight: weight[2], kernelWidth: weight[3],
                  stride: stride, padding: padding)
        guard outHeight >= 1, outWidth >= 1, height + 2 * padding >= kernelHeight,
              width + 2 * padding >= kernelWidth else {
            throw ShapeError("input\(shapeString(input)) padded by \(padding) is smaller than the "
                             + "kernel \(kernelHeight)×\(kernelWidth)")
        }
    }
}
