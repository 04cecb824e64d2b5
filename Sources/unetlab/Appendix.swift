import ArgumentParser
import UNetKit
import SegmentationModels
import SyntheticData
import LabExercises
import Experiments
import Benchmarks
import CourseLab

/// `unetlab appendix`: the course's appendix — convolution and deconvolution by hand — on the
/// seed's own numbers.
struct Appendix: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appendix",
        abstract: "Convolution by hand on the course's 2×5×5 example, and fill_zeros for deconvolution.")

    func run() throws {
        let example = SeedExamples.convolution
        print("== Appendix 1: convolution by hand ==")
        print("conv2d(input, weights): input \(example.input.shape), weights \(example.weights.shape), "
              + "zero padding k/2 = 1, stride 1")
        let byHand = try conv2d(example.input, example.weights)
        print(byHand)
        let library = try conv2dForward(try example.input.reshaped([1, 2, 5, 5]), weight: example.weights, bias: nil,
                                        padding: 1, backend: .blas)
        print("im2col + BLAS gives the same: \(try library.reshaped([1, 5, 5]) == byHand)")
        print()
        print("== Appendix 2: deconvolution ==")
        let deconv = SeedExamples.deconvolution
        print("fill_zeros(input): \(deconv.input.shape) → \(try fillZeros(deconv.input).shape) (zeros between pixels)")
        print(try fillZeros(try channel(deconv.input, 0).reshaped([1, 3, 3])))
        print("deconv2d = fill_zeros → conv2d → crop one pixel each side: the exercise (Question 7).")
    }
}
