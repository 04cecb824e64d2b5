/// DropBlock (Ghiasi, Lin and Le, 2018) as torchvision's `ops.drop_block2d` computes it: instead
/// of single pixels, whole block_size × block_size squares of each channel plane are zeroed.
///
/// For an input `[N, C, H, W]`, drop probability p and an odd block size bs (≤ H and ≤ W):
///
/// 1. Seeds: a 0/1 mask `[N, C, H − bs + 1, W − bs + 1]`, one independent Bernoulli(γ) draw per
///    position where a whole block fits — so one mask per channel, and per image —, with
///
///        γ = p · H · W / (bs² · (H − bs + 1) · (W − bs + 1))
///
///    (p spread over the bs² pixels a seed removes, corrected for the border where no seed
///    can start).
/// 2. Blocks: the seed at (a, b) zeroes rows a ..< a + bs and columns b ..< b + bs (torchvision:
///    pad the seeds by bs/2 and max-pool with a bs × bs window, stride 1, padding bs/2; the seed
///    is the block's centre). keep = 1 − blocks.
/// 3. Output: y = x · keep · numel / (ε + Σ keep), ε = 1e-6, one scale for the whole batch.
///
/// Backward: dx = dy · keep · scale (the mask does not depend on x). In evaluation, and for
/// p = 0, the op is the identity.
///
/// Choices where torchvision differs or is silent: p must lie in [0, 1) (torchvision accepts
/// p = 1); in training a block larger than the map is an error (torchvision shrinks it to
/// min(H, W), which for an even minimum gives a mask of the wrong size); in evaluation, and
/// for p = 0, any block size passes the input through, as in torchvision;
/// an even block size is an error, as in torchvision (with padding bs/2 on both sides an even
/// window would give a mask two rows and columns larger than the map). timm's DropBlock differs (one mask
/// shared by the channels, blocks clipped at the border).

/// γ, the probability that a position where a whole block fits becomes a seed.
public func dropBlockGamma(p: Double, blockSize: Int, height: Int, width: Int) -> Double {
    let bs = Double(blockSize)
    return p * Double(height) * Double(width)
        / (bs * bs * Double(height - blockSize + 1) * Double(width - blockSize + 1))
}

/// keep = 1 − (union of the blocks the seeds start): `seeds` `[planes, H − bs + 1, W − bs + 1]`
/// (any non-zero entry is a seed) → keep `[planes, H, W]` of 0 and 1.
func dropBlockKeepMask<S: KernelScalar>(seeds: [S], planes: Int, height: Int, width: Int, blockSize bs: Int) -> [S] {
    var keep = [S](repeating: 1, count: planes * height * width)
    let (sh, sw) = (height - bs + 1, width - bs + 1)
    for p in 0..<planes {
        for a in 0..<sh {
            for b in 0..<sw where seeds[(p * sh + a) * sw + b] != 0 {
                for i in a..<(a + bs) {
                    for j in b..<(b + bs) { keep[(p * height + i) * width + j] = 0 }
                }
            }
        }
    }
    return keep
}

/// The scale numel / (ε + Σ keep) that restores the expected sum.
func dropBlockScale<S: KernelScalar>(_ keep: [S], eps: S) -> S {
    S(keep.count) / (eps + keep.reduce(0, +))
}

/// Forward for given seeds: y = x · keep · scale, with the keep mask and the scale.
func dropBlockForward<S: KernelScalar>(_ x: [S], seeds: [S], planes: Int, height: Int, width: Int,
                                       blockSize: Int, eps: S) -> (y: [S], keep: [S], scale: S) {
    let keep = dropBlockKeepMask(seeds: seeds, planes: planes, height: height, width: width, blockSize: blockSize)
    let scale = dropBlockScale(keep, eps: eps)
    return (applyKeepMask(x, mask: keep, group: 1, scale: scale), keep, scale)
}

/// Backward: dx = dy · keep · scale.
func dropBlockBackward<S: KernelScalar>(_ dy: [S], keep: [S], scale: S) -> [S] {
    applyKeepMask(dy, mask: keep, group: 1, scale: scale)
}

/// Checks the input `[N, C, H, W]`, p and the block size; returns N, C, H, W.
private func checkDropBlock(_ shape: [Int], p: Double, blockSize: Int,
                             requireFit: Bool = true) throws -> (Int, Int, Int, Int) {
    guard shape.count == 4 else {
        throw ShapeError("drop_block2d: input should be 4-dimensional [N, C, H, W], but got shape \(shapeString(shape))")
    }
    guard p >= 0, p < 1 else { throw ShapeError("drop_block2d: drop probability has to be in [0, 1), but got \(p)") }
    guard blockSize >= 1, blockSize % 2 == 1 else {
        throw ShapeError("drop_block2d: block size should be odd and positive, but got \(blockSize)")
    }
    guard !requireFit || (blockSize <= shape[2] && blockSize <= shape[3]) else {
        throw ShapeError("drop_block2d: block size \(blockSize) is larger than the feature map "
                         + "\(shape[2])×\(shape[3]) of input \(shapeString(shape))")
    }
    return (shape[0], shape[1], shape[2], shape[3])
}

/// Random seeds for DropBlock: a 0/1 tensor `[N, C, H − bs + 1, W − bs + 1]` for an input of
/// `inputShape` `[N, C, H, W]`, each entry 1 with probability γ (`dropBlockGamma`), drawn from
/// `generator` in row-major order.
public func dropBlockSeedMask(inputShape: [Int], p: Double, blockSize: Int,
                              using generator: inout SeededGenerator) throws -> Tensor {
    let (n, c, h, w) = try checkDropBlock(inputShape, p: p, blockSize: blockSize)
    // A probability: γ ≤ p < 1, as H/(H − bs + 1) ≤ bs whenever bs ≤ H (and likewise for W).
    let gamma = dropBlockGamma(p: p, blockSize: blockSize, height: h, width: w)
    var seeds = Tensor(zeros: [n, c, h - blockSize + 1, w - blockSize + 1])
    seeds.withUnsafeMutableScalars { s in
        for k in 0..<s.count { s[k] = generator.nextUnit() < gamma ? 1 : 0 }
    }
    return seeds
}

/// The keep mask `[N, C, H, W]` (1 kept, 0 dropped) that `seedMask`
/// `[N, C, H − bs + 1, W − bs + 1]` produces on a map of `height` × `width`.
public func dropBlockKeepMask(seedMask: Tensor, blockSize: Int, height: Int, width: Int) throws -> Tensor {
    try requireRank(seedMask, 4, "seed mask of drop_block2d", "N×C×(H − bs + 1)×(W − bs + 1)")
    let (n, c) = (seedMask.shape[0], seedMask.shape[1])
    _ = try checkDropBlock([n, c, height, width], p: 0, blockSize: blockSize)
    let expected = [n, c, height - blockSize + 1, width - blockSize + 1]
    guard seedMask.shape == expected else {
        throw ShapeError("drop_block2d: expected a seed mask of shape \(shapeString(expected)), but got "
                         + "\(shapeString(seedMask.shape))")
    }
    return Tensor(unchecked: [n, c, height, width],
                  dropBlockKeepMask(seeds: seedMask.scalars, planes: n * c, height: height, width: width,
                                    blockSize: blockSize))
}

/// DropBlock with given seeds `seedMask` `[N, C, H − bs + 1, W − bs + 1]` (0 or 1; 1 starts a
/// block): y = x · keep · numel / (ε + Σ keep), differentiable in x.
public func dropBlock2d(_ input: Variable, seedMask: Tensor, blockSize: Int, eps: Double = 1e-6) throws -> Variable {
    let (n, c, h, w) = try checkDropBlock(input.shape, p: 0, blockSize: blockSize)
    let expected = [n, c, h - blockSize + 1, w - blockSize + 1]
    guard seedMask.shape == expected else {
        throw ShapeError("drop_block2d: expected a seed mask of shape \(shapeString(expected)) for input "
                         + "\(shapeString(input.shape)) and block size \(blockSize), but got \(shapeString(seedMask.shape))")
    }
    let (y, keep, scale) = dropBlockForward(input.value.scalars, seeds: seedMask.scalars, planes: n * c, height: h,
                                            width: w, blockSize: blockSize, eps: Float(eps))
    return Variable(Tensor(unchecked: input.shape, y), parents: [input]) { dy in
        [Tensor(unchecked: dy.shape, dropBlockBackward(dy.scalars, keep: keep, scale: scale))]
    }
}

/// DropBlock (torchvision's `ops.drop_block2d(input, p, block_size)`): in training, draws the
/// seeds from `generator` and drops their blocks; the identity when `training` is false or p is 0.
public func dropBlock2d(_ input: Variable, p: Double, blockSize: Int, training: Bool, eps: Double = 1e-6,
                        using generator: inout SeededGenerator) throws -> Variable {
    // The identity needs no block to fit the map (small maps in evaluation, as torchvision).
    _ = try checkDropBlock(input.shape, p: p, blockSize: blockSize, requireFit: training && p > 0)
    guard training, p > 0 else { return input }
    let seeds = try dropBlockSeedMask(inputShape: input.shape, p: p, blockSize: blockSize, using: &generator)
    return try dropBlock2d(input, seedMask: seeds, blockSize: blockSize, eps: eps)
}
