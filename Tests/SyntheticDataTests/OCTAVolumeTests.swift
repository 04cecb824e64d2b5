import XCTest
@testable import SyntheticData
import UNetKit

final class OCTAVolumeTests: XCTestCase {
    func testVolumesLabelsAndProjections() throws {
        let generator = try OCTAVolumeProvider(nx: 80, ny: 64, depth: 16, seed: 4)
        let (volumes, labels) = try generator(2)
        XCTAssertEqual(volumes.shape, [2, 16, 64, 80])
        XCTAssertEqual(labels.shape, [2, 64, 80, 2])
        XCTAssertTrue(volumes.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        let mean = try VolumeProjection.project(volumes, .mean)
        let maximum = try VolumeProjection.project(volumes, .maximum)
        XCTAssertEqual(mean.shape, [2, 64, 80, 1])
        var vesselSum = 0.0, vesselCount = 0, backgroundSum = 0.0
        for p in 0..<(2 * 64 * 80) {
            XCTAssertEqual(labels.scalars[2 * p] + labels.scalars[2 * p + 1], 1)
            XCTAssertLessThanOrEqual(mean.scalars[p], maximum.scalars[p] + 1e-6)
            if labels.scalars[2 * p + 1] == 1 { vesselSum += Double(mean.scalars[p]); vesselCount += 1 }
            else { backgroundSum += Double(mean.scalars[p]) }
        }
        let fraction = Double(vesselCount) / Double(2 * 64 * 80)
        XCTAssertTrue((0.03...0.4).contains(fraction), "vessel fraction \(fraction)")
        XCTAssertGreaterThan(vesselSum / Double(vesselCount), 1.3 * backgroundSum / Double(2 * 64 * 80 - vesselCount),
                             "flow makes vessels brighter in the mean projection")
        // The foveal avascular zone (radius 0.08 · 64 ≈ 5 px around the centre) has no vessel.
        for dy in -3...3 { for dx in -3...3 { XCTAssertEqual(labels.scalars[2 * ((31 + dy) * 80 + 39 + dx) + 1], 0) } }
    }

    /// Seed 002's pipeline end to end: volume → mean projection → 8-bit equalisation →
    /// joint augmentation → 64×64 patches → sliding-window prediction of the whole image.
    func testSeed002PipelineShapes() throws {
        let (volumes, labels) = try OCTAVolumeProvider(nx: 96, ny: 96, depth: 12, seed: 2)(1)
        let projected = try VolumeProjection.project(volumes, .mean)
        let grey = try ByteImage(unitValues: Array(projected.scalars), width: 96, height: 96)
        let equalised = HistogramEqualization.equalize(grey)
        XCTAssertEqual(equalised.pixels.max(), 255)
        let image = try Tensor(shape: [1, 96, 96, 1], scalars: equalised.unitValues())
        let fov = Tensor(repeating: 1, shape: [1, 96, 96, 1])
        let sample = try SegmentationSample(images: image, labels: labels, fov: fov, index: 0)
        var rng = SeededGenerator(seed: 1)
        let augmented = try JointAugmentation(maxRotation: 0.2, noiseSigma: 0.01)(sample, using: &rng)
        let batch = try SegmentationSample.batch([augmented])
        let (x, y, _) = try RandomPatches.draw(count: 8, size: 64, images: batch.images, labels: batch.labels,
                                               fov: batch.fov, using: &rng)
        XCTAssertEqual(x.shape, [8, 64, 64, 1])
        XCTAssertEqual(y.shape, [8, 64, 64, 2])
        let window = try SlidingWindow(patchSize: 64, overlap: 0.5, weighting: .gaussian, batchSize: 4)
        let whole = try window.predict(try batch.images.nhwcToNCHW()) { $0 }
        XCTAssertEqual(whole.shape, [1, 1, 96, 96])
    }

    func testProjectionIsTheMeanOrMaximumOverDepth() throws {
        let v = try Tensor(shape: [1, 3, 1, 2], scalars: [1, 6, 2, -1, 6, 2])
        XCTAssertEqual(try VolumeProjection.project(v, .mean).scalars, [3, 7.0 / 3])
        XCTAssertEqual(try VolumeProjection.project(v, .maximum).scalars, [6, 6])
        XCTAssertThrowsError(try VolumeProjection.project(Tensor(zeros: [3, 4, 4]), .mean)) { error in
            XCTAssertTrue("\(error)".contains("[B, D, H, W]"), "\(error)")
        }
        XCTAssertThrowsError(try OCTAVolumeProvider(nx: 64, ny: 64, depth: 2)) { error in
            XCTAssertTrue("\(error)".contains("depth"), "\(error)")
        }
    }
}
