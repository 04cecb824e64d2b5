/// The sizes of one 2-D convolution (or transposed convolution), checked once and shared
/// by the naive and the BLAS implementations.
///
/// Convolution: input `[N, Cin, H, W]`, weight `[Cout, Cin, kH, kW]`, output
/// `[N, Cout, Hout, Wout]` with `Hout = (H + 2·padding − dilation·(kH − 1) − 1) / stride + 1`
/// (PyTorch's formula; with dilation 1 it is `(H + 2·padding − kH) / stride + 1`). A dilated
/// kernel reads the input at taps `dilation` apart, so it spans `dilation·(k − 1) + 1` pixels.
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
    /// Spacing between kernel taps (1: an ordinary convolution).
    public var dilation: Int

    public init(batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int,
                kernelHeight: Int, kernelWidth: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.batch = batch; self.inChannels = inChannels; self.height = height; self.width = width
        self.outChannels = outChannels; self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.stride = stride; self.padding = padding; self.dilation = dilation
    }

    /// Rows of input one kernel covers: `dilation·(kH − 1) + 1`.
    public var kernelExtentHeight: Int { dilation * (kernelHeight - 1) + 1 }
    /// Columns of input one kernel covers: `dilation·(kW − 1) + 1`.
    public var kernelExtentWidth: Int { dilation * (kernelWidth - 1) + 1 }

    /// Output height of the convolution.
    public var outHeight: Int { (height + 2 * padding - kernelExtentHeight) / stride + 1 }
    /// Output width of the convolution.
    public var outWidth: Int { (width + 2 * padding - kernelExtentWidth) / stride + 1 }

    public var inputShape: [Int] { [batch, inChannels, height, width] }
    public var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
    public var weightShape: [Int] { [outChannels, inChannels, kernelHeight, kernelWidth] }

    /// Checks a convolution's input `[N, Cin, H, W]` against its weight `[Cout, Cin, kH, kW]`
    /// and bias `[Cout]`, with PyTorch's wording for a channel mismatch.
    public init(input: [Int], weight: [Int], bias: [Int]?, stride: Int, padding: Int, dilation: Int = 1) throws {
        guard input.count == 4 else {
            throw ShapeError("expected a 4-D input [N, C, H, W] for conv2d, but got input of shape \(shapeString(input))")
        }
        guard weight.count == 4 else {
            throw ShapeError("expected a 4-D weight [out, in, kH, kW] for conv2d, but got weight of shape \(shapeString(weight))")
        }
        guard stride >= 1, padding >= 0 else {
            throw ShapeError("expected stride ≥ 1 and padding ≥ 0, but got stride \(stride), padding \(padding)")
        }
        guard dilation >= 1 else {
            throw ShapeError("expected dilation ≥ 1 for conv2d, but got dilation \(dilation)")
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
                  stride: stride, padding: padding, dilation: dilation)
        guard outHeight >= 1, outWidth >= 1, height + 2 * padding >= kernelExtentHeight,
              width + 2 * padding >= kernelExtentWidth else {
            let kernel = dilation == 1 ? "\(kernelHeight)×\(kernelWidth)"
                : "\(kernelHeight)×\(kernelWidth) with dilation \(dilation) (it spans \(kernelExtentHeight)×\(kernelExtentWidth))"
            throw ShapeError("input\(shapeString(input)) padded by \(padding) is smaller than the kernel \(kernel)")
        }
    }
}
