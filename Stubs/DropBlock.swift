import UNetKit
import SegmentationModels
import LabExercises

/// Exercise (advanced lab), part 1 of DropBlock (Ghiasi, Lin and Le 2018; torchvision's
/// `ops.drop_block2d`): the seed probability γ. A seed drops a bs × bs block, and seeds can
/// only start where a whole block fits ((H − bs + 1)·(W − bs + 1) positions of H·W), so to drop
/// about a fraction p of the pixels:
///
///     γ = p / bs² · H·W / ((H − bs + 1)·(W − bs + 1))
///
/// p in [0, 1), blockSize odd and ≤ height, width. dropBlockGamma(0.1, 3, 10, 10) = 0.017361.
public func dropBlockGamma(dropProbability p: Double, blockSize: Int, height: Int, width: Int) -> Double {
    // write your code here
    return .nan // write dropBlockGamma in Labs/DropBlock.swift
}

/// Exercise (advanced lab), part 2 of DropBlock: the block mask and the rescaling, for a
/// given seed mask (what torchvision's `drop_block2d` computes after its Bernoulli(γ) draw):
///
///     seedMask [N, C, H − bs + 1, W − bs + 1] of 0/1: a 1 at (n, c, a, b) zeroes
///               rows a ..< a + bs and columns b ..< b + bs of plane (n, c)
///               (torchvision: pad the seeds by bs/2, max-pool bs × bs, stride 1, padding bs/2)
///     keep     = 1 − (union of the blocks)                      [N, C, H, W]
///     y        = x · keep · numel / (1e-6 + Σ keep)              one scale for the whole batch
///     dx       = dy · keep · numel / (1e-6 + Σ keep)
///
/// input `[N, C, H, W]`, blockSize odd, ≤ H and ≤ W → `[N, C, H, W]`, differentiable in input.
public func dropBlock(_ input: Variable, seedMask: Tensor, blockSize bs: Int) throws -> Variable {
    guard input.shape.count == 4 else {
        throw ShapeError("drop_block: expected an input [N, C, H, W], but got shape \(shapeString(input.shape))")
    }
    let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    guard bs >= 1, bs % 2 == 1, bs <= h, bs <= w else {
        throw ShapeError("drop_block: expected an odd block size ≤ \(min(h, w)) for input \(shapeString(input.shape)), but got \(bs)")
    }
    let (sh, sw) = (h - bs + 1, w - bs + 1)
    guard seedMask.shape == [n, c, sh, sw] else {
        throw ShapeError("drop_block: expected a seed mask of shape \(shapeString([n, c, sh, sw])) = [N, C, H − bs + 1, "
                         + "W − bs + 1], but got \(shapeString(seedMask.shape))")
    }
    // write your code here
    throw ExerciseNotImplemented(exercise: "Advanced: dropBlock", file: "Labs/DropBlock.swift",
                                 function: "dropBlock(_:seedMask:blockSize:)")
}
