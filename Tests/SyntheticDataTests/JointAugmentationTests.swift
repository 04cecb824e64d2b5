import XCTest
@testable import SyntheticData
import UNetKit

/// Invariants of the joint augmentation: image, mask and FOV move together; masks stay binary;
/// noise and jitter touch the image only; flips and turns undo themselves.
final class JointAugmentationTests: XCTestCase {
    /// A vessel sample, RGB so channel order is tested too.
    func sample(_ nx: Int = 96, _ ny: Int = 80, seed: UInt64 = 1) throws -> SegmentationSample {
        let (x, y, fov) = try VesselDataProvider(nx: nx, ny: ny, rgb: true, seed: seed)(1)
        return try SegmentationSample(images: x, labels: y, fov: fov, index: 0)
    }

    func testFlipsAndTurnsUndoThemselves() throws {
        let s = try sample()
        XCTAssertEqual(GeometricTransforms.flipHorizontal(GeometricTransforms.flipHorizontal(s)), s)
        XCTAssertEqual(GeometricTransforms.flipVertical(GeometricTransforms.flipVertical(s)), s)
        XCTAssertNotEqual(GeometricTransforms.flipHorizontal(s), s)
        var turned = s
        for _ in 0..<4 { turned = GeometricTransforms.rotate90(turned, quarterTurns: 1) }
        XCTAssertEqual(turned, s)
        XCTAssertEqual(GeometricTransforms.rotate90(GeometricTransforms.rotate90(s, quarterTurns: 1), quarterTurns: -1), s)
        XCTAssertEqual(GeometricTransforms.rotate90(s, quarterTurns: 2),
                       GeometricTransforms.flipVertical(GeometricTransforms.flipHorizontal(s)))
        let one = GeometricTransforms.rotate90(s, quarterTurns: 1)
        XCTAssertEqual([one.nx, one.ny], [s.ny, s.nx])
        // NumPy's rot90: the top-right corner comes to the top-left.
        XCTAssertEqual(one.mask[0], s.mask[s.nx - 1])
        XCTAssertEqual(Array(one.image[0..<3]), Array(s.image[(s.nx - 1) * 3 ..< s.nx * 3]))
    }

    /// A rotation by exactly 90° agrees with the quarter turn (nearest for masks, bilinear
    /// sampling at whole pixels for the image).
    func testArbitraryRotationAgreesWithQuarterTurnsAndKeepsMasksBinary() throws {
        let s = try sample(72, 72)
        let rotated = GeometricTransforms.rotate(s, angle: .pi / 2)
        let turned = GeometricTransforms.rotate90(s, quarterTurns: 1)
        XCTAssertEqual(rotated.mask, turned.mask)
        XCTAssertEqual(rotated.fov, turned.fov)
        XCTAssertLessThan(zip(rotated.image, turned.image).map { abs($0 - $1) }.max()!, 1e-5)
        let tilted = GeometricTransforms.rotate(s, angle: 0.3)
        XCTAssertTrue(Set(tilted.mask).isSubset(of: [0, 1]))
        XCTAssertTrue(Set(tilted.fov).isSubset(of: [0, 1]))
        XCTAssertNotEqual(tilted.mask, s.mask)
    }

    /// Geometric steps move image, mask and FOV together: a sample whose image channel 0 *is*
    /// its mask keeps that property through any seeded pipeline without photometric steps.
    func testImageAndMaskMoveTogether() throws {
        var s = try sample()
        for p in 0..<(s.nx * s.ny) { s.image[3 * p] = Float(s.mask[p]); s.image[3 * p + 1] = Float(s.fov[p]) }
        let augment = try JointAugmentation(flipProbability: 0.5, quarterTurns: true, cropSize: (48, 40))
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<20 {
            let a = try augment(s, using: &rng)
            XCTAssertEqual([a.nx, a.ny], [40, 48])
            for p in 0..<(a.nx * a.ny) {
                XCTAssertEqual(a.image[3 * p], Float(a.mask[p]))
                XCTAssertEqual(a.image[3 * p + 1], Float(a.fov[p]))
            }
        }
        let square = try sample(64, 64)
        var t = square
        for p in 0..<(t.nx * t.ny) { t.image[3 * p] = Float(t.mask[p]) }
        let rotating = try JointAugmentation(maxRotation: 0.5)
        for _ in 0..<5 {
            let a = try rotating(t, using: &rng)
            // Nearest-neighbour mask vs bilinear image: wherever the image value is exactly 0 or 1
            // away from edges the mask agrees; overall they overlap strongly.
            var agree = 0
            for p in 0..<(a.nx * a.ny) where (a.image[3 * p] > 0.5) == (a.mask[p] == 1) { agree += 1 }
            XCTAssertGreaterThan(Double(agree) / Double(a.nx * a.ny), 0.97)
        }
    }

    func testNoiseAndJitterChangeOnlyTheImage() throws {
        let s = try sample()
        var rng = SeededGenerator(seed: 8)
        let noisy = PhotometricTransforms.addGaussianNoise(s, sigma: 0.1, using: &rng)
        XCTAssertEqual(noisy.mask, s.mask)
        XCTAssertEqual(noisy.fov, s.fov)
        let differences = zip(noisy.image, s.image).map { Double($0 - $1) }
        let std = (differences.map { $0 * $0 }.reduce(0, +) / Double(differences.count)).squareRoot()
        XCTAssertEqual(std, 0.1, accuracy: 0.005)
        let jittered = PhotometricTransforms.jitter(s, brightness: 0.1, contrast: 1.2, channelGains: [1.1, 1, 0.9])
        XCTAssertEqual(jittered.mask, s.mask)
        XCTAssertEqual(jittered.fov, s.fov)
        XCTAssertNotEqual(jittered.image, s.image)
        XCTAssertTrue(jittered.image.allSatisfy { $0 >= 0 && $0 <= 1 })
        let full = try JointAugmentation(flipProbability: 0, quarterTurns: false, brightness: 0.2, contrast: 0.2,
                                         colour: 0.1, noiseSigma: 0.05)
        let a = try full(s, using: &rng)
        XCTAssertEqual(a.mask, s.mask, "no geometric step: the mask is untouched")
        XCTAssertNotEqual(a.image, s.image)
    }

    func testSeededAndValidated() throws {
        let s = try sample()
        let augment = try JointAugmentation(maxRotation: 0.2, cropSize: (32, 32), noiseSigma: 0.01)
        var r1 = SeededGenerator(seed: 4), r2 = SeededGenerator(seed: 4)
        XCTAssertEqual(try augment(s, using: &r1), try augment(s, using: &r2))
        XCTAssertThrowsError(try JointAugmentation(flipProbability: 1.5)) { error in
            XCTAssertTrue("\(error)".contains("flipProbability must be in [0, 1], but got 1.5"), "\(error)")
        }
        XCTAssertThrowsError(try JointAugmentation(noiseSigma: -1))
        let tooBig = try JointAugmentation(cropSize: (100, 100))
        var rng = SeededGenerator(seed: 1)
        XCTAssertThrowsError(try tooBig(s, using: &rng)) { error in
            XCTAssertTrue("\(error)".contains("does not fit"), "\(error)")
        }
        XCTAssertThrowsError(try GeometricTransforms.crop(s, top: 50, left: 0, height: 40, width: 10))
    }

    func testBatchRoundTrip() throws {
        let (x, y, fov) = try VesselDataProvider(nx: 64, ny: 64, seed: 2)(2)
        let samples = try (0..<2).map { try SegmentationSample(images: x, labels: y, fov: fov, index: $0) }
        let back = try SegmentationSample.batch(samples)
        XCTAssertEqual(back.images, x)
        XCTAssertEqual(back.labels, y)
        XCTAssertEqual(back.fov, fov)
    }
}
