import UNetKit

/// Seed 001's Keras U-Net (the widely copied Keras `unet()`): 3×3 "same" convolutions with
/// ReLU, Dropout(0.5) on the two deepest levels, up-sampling by UpSampling2D then a 2×2 "same"
/// convolution, skips concatenated as [skip, up], and a sigmoid output.
///
///     conv1 (in → b) ×2, conv2 (b → 2b) ×2, conv3 (2b → 4b) ×2      then 2×2 max-pool each
///     conv4 (4b → 8b) ×2, drop4, pool;  conv5 (8b → 16b) ×2, drop5      [N, 16b, H/16, W/16]
///     up6 (16b → 8b), cat [drop4, up6], conv6 (16b → 8b) ×2
///     up7 (8b → 4b),  cat [conv3, up7], conv7 (8b → 4b) ×2
///     up8 (4b → 2b),  cat [conv2, up8], conv8 (4b → 2b) ×2
///     up9 (2b → b),   cat [conv1, up9], conv9 (2b → b) ×2 then 3×3 (b → 2) with ReLU
///     conv10 1×1 (2 → classes), sigmoid                        probabilities [N, classes, H, W]
///
/// b = `base` (the seed's 64). Every convolution is followed by ReLU except conv10 (sigmoid).
/// Keras' `padding="same"` for the 2×2 up-convolution pads one row and one column at the
/// bottom and right only (TensorFlow puts the odd padding there); `KerasUpConv` does that.
/// Weights start as Keras' (`initializeHeNormal`: he_normal, zero biases) when `heNormal` is
/// true; the seed's conv10 has no initializer argument (Keras' glorot_uniform), which this
/// network does not reproduce (it is he_normal like the rest).
/// Module names are chosen here (`conv1.0.weight`, `up6.conv.weight`, `conv10.weight`).
///
/// Input `[N, inChannels, H, W]` with H and W multiples of 16.
public final class KerasUNet: Module {
    public let conv1: Sequential, conv2: Sequential, conv3: Sequential, conv4: Sequential
    public let drop4: Dropout
    public let conv5: Sequential
    public let drop5: Dropout
    public let pool = MaxPool2d(2)
    public let up6: KerasUpConv, conv6: Sequential
    public let up7: KerasUpConv, conv7: Sequential
    public let up8: KerasUpConv, conv8: Sequential
    public let up9: KerasUpConv, conv9: Sequential
    public let conv10: Conv2d
    public let inChannels: Int
    public let classes: Int

    public init(inChannels: Int = 1, classes: Int = 1, base b: Int = 64, dropout p: Double = 0.5,
                heNormal: Bool = true, seed: UInt64 = 0) {
        self.inChannels = inChannels
        self.classes = classes
        func pair(_ cin: Int, _ cout: Int) -> Sequential {
            Sequential(Conv2d(cin, cout, kernelSize: 3, padding: 1), ReLU(), Conv2d(cout, cout, kernelSize: 3, padding: 1), ReLU())
        }
        conv1 = pair(inChannels, b)
        conv2 = pair(b, 2 * b)
        conv3 = pair(2 * b, 4 * b)
        conv4 = pair(4 * b, 8 * b)
        drop4 = Dropout(p: p)
        conv5 = pair(8 * b, 16 * b)
        drop5 = Dropout(p: p)
        up6 = KerasUpConv(16 * b, 8 * b)
        conv6 = pair(16 * b, 8 * b)
        up7 = KerasUpConv(8 * b, 4 * b)
        conv7 = pair(8 * b, 4 * b)
        up8 = KerasUpConv(4 * b, 2 * b)
        conv8 = pair(4 * b, 2 * b)
        up9 = KerasUpConv(2 * b, b)
        conv9 = Sequential(Conv2d(2 * b, b, kernelSize: 3, padding: 1), ReLU(), Conv2d(b, b, kernelSize: 3, padding: 1), ReLU(),
                           Conv2d(b, 2, kernelSize: 3, padding: 1), ReLU())
        conv10 = Conv2d(2, classes, kernelSize: 1)
        super.init()
        if heNormal {
            var generator = SeededGenerator(seed: seed)
            initializeHeNormal(self, using: &generator)
        }
    }

    public override func forward(_ x: Variable) throws -> Variable {
        try requireInput(x, channels: inChannels, downsamplings: 4, model: "KerasUNet (seed 001's U-Net)")
        guard x.shape[2] % 16 == 0, x.shape[3] % 16 == 0 else {
            throw ShapeError("KerasUNet (seed 001's U-Net) halves the image 4 times and concatenates the skips, so "
                             + "it needs H and W that are multiples of 16, but got input\(shapeString(x.shape))")
        }
        let c1 = try conv1(x)
        let c2 = try conv2(pool(c1))
        let c3 = try conv3(pool(c2))
        let d4 = try drop4(conv4(pool(c3)))
        let d5 = try drop5(conv5(pool(d4)))
        let c6 = try conv6(concatChannels([d4, up6(d5)]))
        let c7 = try conv7(concatChannels([c3, up7(c6)]))
        let c8 = try conv8(concatChannels([c2, up8(c7)]))
        let c9 = try conv9(concatChannels([c1, up9(c8)]))
        return try conv10(c9).sigmoid()
    }
}

/// Keras' `Conv2D(out, 2, activation='relu', padding='same')(UpSampling2D(size=(2, 2))(x))`:
/// nearest ×2, zero-pad one column on the right and one row at the bottom ("same" for an even
/// kernel), 2×2 convolution, ReLU. `[N, in, H, W]` → `[N, out, 2H, 2W]`. With `conv`'s default
/// backend (`.winograd`, the fast paths) it runs as one op on the small image
/// (`upsampleNearestConv2x2`: 9 instead of 16 multiply-adds per input pixel, no up-sampled copy);
/// with `.naive` or `.blas`, as the three layers.
public final class KerasUpConv: Module {
    public let up = UpsampleNearest(scaleFactor: 2)
    public let conv: Conv2d

    public init(_ inChannels: Int, _ outChannels: Int) { conv = Conv2d(inChannels, outChannels, kernelSize: 2) }

    public override func forward(_ x: Variable) throws -> Variable {
        if conv.backend == .winograd {
            let y = try upsampleNearestConv2x2(x, weight: conv.weight, bias: conv.bias)
            up.observed(shape: [x.shape[0], x.shape[1], 2 * x.shape[2], 2 * x.shape[3]])   // as the layers report
            return conv.observed(y).relu()
        }
        return try conv(pad2d(up(x), left: 0, right: 1, top: 0, bottom: 1)).relu()
    }
}
