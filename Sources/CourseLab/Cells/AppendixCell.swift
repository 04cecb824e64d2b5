import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// Cell 9 (seed 004, appendix, question 7): convolution by hand, the naive loops against
/// im2col + BLAS (agreement and speed-up), fill_zeros, and the deconv2d exercise.
enum AppendixCell {
    /// The seed's printed result of `conv2d(input, weights)`.
    static let expectedConvolution = try! Tensor(shape: [1, 5, 5], scalars: [
        2, 0, 2, 4, 0, 1, 4, 4, 3, 5, 4, 3, 5, 9, -1, 3, 4, 6, 2, 1, 5, 3, 5, 1, -2])
    /// The seed's printed result of `deconv2d(input, weights)`.
    static let expectedDeconvolution = try! Tensor(shape: [2, 5, 5], scalars: [
        3, 3, 2, 7, 5, 6, 8, 5, 11, 2, 2, 7, 2, 3, 3, 5, 11, 3, 9, 3, 1, 4, 5, 4, 4,
        6, 0, 1, 8, 5, 0, 8, -2, 14, 2, 3, 9, 8, 1, 0, 0, 13, 0, 11, 2, 5, 3, 1, 3, 0])

    static func run(_ c: CourseCell) throws {
        let s = c.lab.settings
        c.say("To understand deconvolution, first look at convolution itself: a kernel slid over the image, "
              + "multiplying and adding. With zero padding k/2 and stride 1 the output has the input's size. "
              + "`convolution(feature_map, kernel)` does one input channel to one output channel with two loops; "
              + "`conv2d(input, weights)` sums it over input channels for every output channel "
              + "(`Sources/UNetKit/Appendix/ConvolutionByHand.swift`). Checked on the course's example:")
        let example = SeedExamples.convolution
        let byHand = try conv2d(example.input, example.weights)
        c.print("print(conv2d(input, weights))    # input \(pythonShape(example.input.shape)), weights "
                + pythonShape(example.weights.shape))
        c.print(byHand.numpyString())
        c.print(byHand == expectedConvolution ? "✓ the course's output" : "✗ differs from the course's output")
        let library = try conv2dForward(try example.input.reshaped([1, 2, 5, 5]), weight: example.weights, bias: nil,
                                        padding: 1, backend: .blas)
        c.print("the library's conv2d (im2col + BLAS) gives "
                + (try library.reshaped([1, 5, 5]) == byHand ? "the same numbers" : "different numbers (!)"))
        c.say("PyTorch computes the same thing (its `Conv2d` gives these numbers too), but not with plain loops: "
              + "its CPU kernels are hand-vectorised. This kit turns convolutions into matrix products for an "
              + "optimised BLAS instead: im2col rearranges the image patches into one matrix, and for the 3×3 "
              + "layers training uses Winograd's minimal filtering F(2×2, 3×3), 16 multiplications per 2×2 "
              + "outputs instead of 36, as 16 smaller matrix products. How much that matters, on one UNet-sized layer:")
        let bench = ConvolutionBenchmark(batch: 1, channels: s.benchmarkChannels, size: s.benchmarkSize,
                                         repeats: s.benchmarkRepeats, naiveRepeats: 1)
        let (timings, difference) = try bench.run()
        for line in bench.report(timings, maxDifference: difference) { c.print(line) }
        c.say("Deconvolution — better called transposed convolution — goes the other way: the output is larger "
              + "than the input, and its weights are learned like a convolution's. One way to compute it: "
              + "interleave zeros between the input's pixels (`fill_zeros`), convolve as above, and crop one pixel "
              + "on each side. The zeros leave the input's values in place in the output.")
        let deconv = SeedExamples.deconvolution
        let filled = try fillZeros(deconv.input)
        c.print("fill_zeros(input): \(pythonShape(deconv.input.shape)) → \(pythonShape(filled.shape)); its first channel:")
        c.print(try channel(filled, 0).numpyString())
        c.question(7)
        guard let result = try c.exercise("the deconv2d test", { try c.lab.exercises.deconv2d(deconv.input, deconv.weights) })
        else { return }
        c.print("print(deconv2d(input, weights))    # input \(pythonShape(deconv.input.shape)), weights "
                + pythonShape(deconv.weights.shape))
        c.print(result.numpyString())
        c.print(result == expectedDeconvolution
                ? "✓ the course's output"
                : "✗ the course expects a [2, 5, 5] result starting [[[3. 3. 2. 7. 5.] … — compare with the seed's")
        // PyTorch's ConvTranspose2d(4, 2, kernel 3, padding 1, stride 2) with the weights rotated 180° and in/out swapped.
        let (o, i) = (deconv.weights.shape[0], deconv.weights.shape[1])
        let rotated = Tensor(shape: [i, o, 3, 3]) { idx in deconv.weights[idx[1], idx[0], 2 - idx[2], 2 - idx[3]] }
        let transposed = try convTranspose2dForward(try deconv.input.reshaped([1, i, 3, 3]), weight: rotated, bias: nil,
                                                    stride: 2, padding: 1)
        c.print("ConvTranspose2d(4, 2, kernel_size=3, padding=1, stride=2), weights rotated 180° and in/out swapped: "
                + ((try? transposed.reshaped(result.shape)) == result ? "the same numbers" : "different numbers"))
    }
}
