import UNetKit

/// The numbers of the course's appendix (seed 004), used by the lab and the tests.
public enum SeedExamples {
    /// 2×5×5 input and 1×2×3×3 weights of the convolution example.
    public static let convolution = (
        input: try! Tensor(shape: [2, 5, 5], scalars: [
            1, 0, 1, 2, 1,  0, 2, 1, 0, 1,  1, 1, 0, 2, 0,  2, 2, 1, 1, 0,  2, 0, 1, 2, 0,
            2, 0, 2, 1, 1,  0, 1, 0, 0, 2,  1, 0, 0, 2, 1,  1, 1, 2, 1, 0,  1, 0, 1, 1, 1]),
        weights: try! Tensor(shape: [1, 2, 3, 3], scalars: [
            1, 0, 1,  -1, 1, 0,  0, -1, 0,
            -1, 0, 1,  0, 0, 1,  1, 1, 1]))

    /// 4×3×3 input and 2×4×3×3 weights of the deconvolution example.
    public static let deconvolution = (
        input: try! Tensor(shape: [4, 3, 3], scalars: [
            1, 0, 1, 0, 2, 1, 1, 1, 0,   2, 0, 2, 0, 1, 0, 1, 0, 0,
            1, 1, 1, 2, 2, 0, 1, 1, 1,   1, 1, 2, 1, 0, 1, 0, 2, 2]),
        weights: try! Tensor(shape: [2, 4, 3, 3], scalars: [
            1, 0, 1, -1, 1, 0, 0, -1, 0,   -1, 0, 1, 0, 0, 1, 1, 1, 1,
            0, 1, 1, 2, 0, 1, 1, 2, 1,     1, 1, 1, 0, 2, 1, 1, 0, 1,
            1, 0, 2, -2, 1, 1, 1, -1, 0,   -1, 0, 1, -1, 2, 1, 1, 1, 1,
            0, 0, 0, 2, 2, 1, 1, -1, 1,    2, 1, 1, 0, -1, 1, 1, 1, 1]))
}
