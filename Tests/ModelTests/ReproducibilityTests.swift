import XCTest
import TestSupport
import UNetKit
import SegmentationModels
import LabExercises

/// The same seed gives the same network, bit for bit: every product and sum in the fast paths
/// is split over the cores in a fixed way (OpenBLAS single-threaded, one block per core), so
/// thread timing cannot change the order of additions.
final class ReproducibilityTests: XCTestCase {
    func testTrainingTwiceGivesIdenticalWeights() throws {
        func train() throws -> (weights: [Float], losses: [Float]) {
            manualSeed(5)
            let net = UNet(nChannels: 1, nClasses: 2, base: 8)
            let optimizer = SGD(net.parameters(), lr: 0.01, momentum: 0.9, weightDecay: 0.0005)
            let images = randomTensor([2, 1, 32, 32], seed: 1)
            let foreground = images.scalars.map { $0 > 0.5 ? Float(1) : 0 }
            let labels = try Tensor(shape: [2, 2, 32, 32], scalars: (0..<2).flatMap { n -> [Float] in
                let plane = Array(foreground[(n * 1024)..<((n + 1) * 1024)])
                return plane.map { 1 - $0 } + plane
            })
            let losses = try (0..<3).map { _ in try trainingStep(net, optimizer: optimizer, images: images, labels: labels) }
            return (net.parameters().flatMap { $0.value.scalars }, losses)
        }
        let (first, second) = (try train(), try train())
        XCTAssertEqual(first.losses, second.losses)
        XCTAssertTrue(first.weights == second.weights, "the same seed trained to different weights")
        XCTAssertNotEqual(first.losses[0], first.losses[2], "training did not change the loss")
    }
}
