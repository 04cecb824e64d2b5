import XCTest
import TestSupport
@testable import UNetKit
@testable import LabExercises

/// The course's appendix: convolution by hand, on the seed's own example.
final class AppendixTests: XCTestCase {
    private func f(_ name: String) throws -> Tensor { try OpsFixtures.tensor(name) }

    /// The seed's 2×5×5 input and 1×2×3×3 weights give exactly the output the seed prints
    /// (and PyTorch computes).
    func testSeedConvolutionExample() throws {
        let output = try conv2d(try f("seed.conv.input"), try f("seed.conv.weights"))
        XCTAssertEqual(output, try f("seed.conv.output"))
        XCTAssertEqual(output.numpyString(), """
        [[[ 2.  0.  2.  4.  0.]
          [ 1.  4.  4.  3.  5.]
          [ 4.  3.  5.  9. -1.]
          [ 3.  4.  6.  2.  1.]
          [ 5.  3.  5.  1. -2.]]]
        """, "printed as NumPy prints it in the seed")
    }

    /// The lab's copy of the seed's numbers is the one PyTorch was given.
    func testSeedExamplesMatchTheFixtures() throws {
        XCTAssertEqual(SeedExamples.convolution.input, try f("seed.conv.input"))
        XCTAssertEqual(SeedExamples.convolution.weights, try f("seed.conv.weights"))
        XCTAssertEqual(SeedExamples.deconvolution.input, try f("seed.deconv.input"))
        XCTAssertEqual(SeedExamples.deconvolution.weights, try f("seed.deconv.weights"))
    }

    func testSingleChannelConvolutionKeepsSizeAndMatchesTheLibrary() throws {
        let fm = randomTensor([6, 7], seed: 1), k = randomTensor([3, 3], seed: 2)
        let byHand = try convolution(fm, k)
        XCTAssertEqual(byHand.shape, [6, 7])
        let library = try conv2dForward(try fm.reshaped([1, 1, 6, 7]), weight: try k.reshaped([1, 1, 3, 3]),
                                        bias: nil, padding: 1, backend: .naive)
        assertClose(try byHand.reshaped([1, 1, 6, 7]), library)
    }

    func testFillZerosInterleaves() throws {
        let x = try Tensor(shape: [1, 2, 2], scalars: [1, 2, 3, 4])
        let z = try fillZeros(x)
        XCTAssertEqual(z.shape, [1, 5, 5])
        XCTAssertEqual(z.scalars, [0, 0, 0, 0, 0,  0, 1, 0, 2, 0,  0, 0, 0, 0, 0,  0, 3, 0, 4, 0,  0, 0, 0, 0, 0])
    }

    /// The deconvolution recipe — fill zeros, convolve, crop one pixel — equals ConvTranspose2d
    /// (k 3, s 2, p 1) with the weights rotated 180° and in/out swapped, on the seed's example.
    func testDeconvolutionRecipeMatchesConvTranspose() throws {
        let input = try f("seed.deconv.input"), weights = try f("seed.deconv.weights")
        let full = try conv2d(try fillZeros(input), weights)
        let (c, h, w) = (full.shape[0], full.shape[1], full.shape[2])
        let cropped = Tensor(shape: [c, h - 2, w - 2]) { full[$0[0], $0[1] + 1, $0[2] + 1] }
        XCTAssertEqual(cropped, try f("seed.deconv.output"))
        // The same through the library's transposed convolution.
        let rotated = Tensor(shape: [4, 2, 3, 3]) { weights[$0[1], $0[0], 2 - $0[2], 2 - $0[3]] }
        let y = try convTranspose2dForward(try input.reshaped([1, 4, 3, 3]), weight: rotated, bias: nil,
                                           stride: 2, padding: 1)
        XCTAssertEqual(try y.reshaped([2, 5, 5]), cropped)
    }

    func testAppendixShapeErrors() {
        XCTAssertThrowsError(try conv2d(Tensor(zeros: [3, 5, 5]), Tensor(zeros: [1, 2, 3, 3]))) {
            XCTAssertTrue("\($0)".contains("to have 2 channels, but got 3"), "\($0)")
        }
        XCTAssertThrowsError(try convolution(Tensor(zeros: [5, 5]), Tensor(zeros: [3, 2]))) {
            XCTAssertTrue("\($0)".contains("square kernel"), "\($0)")
        }
        XCTAssertThrowsError(try fillZeros(Tensor(zeros: [5, 5]))) {
            XCTAssertTrue("\($0)".contains("3-D tensor"), "\($0)")
        }
    }
}
