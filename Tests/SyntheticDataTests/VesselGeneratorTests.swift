import Foundation
import XCTest
@testable import SyntheticData
import UNetKit

/// The vessel generator's shapes, invariants and errors (its statistics: VesselStatisticsTests).
final class VesselGeneratorTests: XCTestCase {
    func testShapesOneHotLabelsAndFOV() throws {
        for (nx, ny, rgb) in [(64, 64, false), (97, 80, true), (128, 160, false)] {
            let generator = try VesselDataProvider(nx: nx, ny: ny, rgb: rgb, seed: 1)
            let (x, y, fov) = try generator(2)
            let c = rgb ? 3 : 1
            XCTAssertEqual(x.shape, [2, ny, nx, c])
            XCTAssertEqual(y.shape, [2, ny, nx, 2])
            XCTAssertEqual(fov.shape, [2, ny, nx, 1])
            for p in 0..<(2 * nx * ny) {
                XCTAssertEqual(y.scalars[2 * p] + y.scalars[2 * p + 1], 1, "one-hot")
                XCTAssertTrue(fov.scalars[p] == 0 || fov.scalars[p] == 1)
                if fov.scalars[p] == 0 {
                    XCTAssertEqual(y.scalars[2 * p + 1], 0, "a vessel outside the FOV at \(p)")
                    for k in 0..<c { XCTAssertEqual(x.scalars[p * c + k], 0, "image outside the FOV at \(p)") }
                }
            }
            XCTAssertTrue(x.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        }
    }

    func testSameSeedSameImagesAndTheStreamContinues() throws {
        let a = try VesselDataProvider(nx: 80, ny: 72, seed: 42), b = try VesselDataProvider(nx: 80, ny: 72, seed: 42)
        let first = try a(2), again = try b(2)
        XCTAssertEqual(first.images, again.images)
        XCTAssertEqual(first.labels, again.labels)
        XCTAssertNotEqual(try a(1).labels, try VesselDataProvider(nx: 80, ny: 72, seed: 42)(1).labels,
                          "a second call draws new images")
    }

    /// DRIVE-like imbalance at every size; each tree is 8-connected (so the label has at most
    /// as many pieces as trees); vessels are darker than the background around them.
    func testVesselFractionConnectivityAndContrast() throws {
        for side in [64, 128, 256] {
            let generator = try VesselDataProvider(nx: side, ny: side, seed: 7)
            var fractions: [Double] = []
            for _ in 0..<12 {
                let s = generator.nextSample()
                let fov = s.fovMask.reduce(0) { $0 + Int($1) }
                let vessel = s.vesselMap.reduce(0) { $0 + Int($1) }
                fractions.append(Double(vessel) / Double(fov))
                XCTAssertLessThanOrEqual(VesselStatisticsTests.components(s.vesselMap, nx: side, ny: side), s.treeCount)
                var vesselSum = 0.0, backgroundSum = 0.0
                for p in 0..<s.image.count where s.fovMask[p] == 1 {
                    if s.vesselMap[p] == 1 { vesselSum += Double(s.image[p]) } else { backgroundSum += Double(s.image[p]) }
                }
                XCTAssertLessThan(vesselSum / Double(vessel), backgroundSum / Double(fov - vessel), "vessels are darker")
                XCTAssertLessThanOrEqual(s.meanWidth, 0.02 * Double(side) + 1.5)
            }
            let mean = fractions.reduce(0, +) / Double(fractions.count)
            XCTAssertTrue((0.09...0.16).contains(mean), "\(side)×\(side): vessel fraction \(mean)")
        }
    }

    func testRGBKeepsTheGreyInTheGreenChannel() throws {
        let grey = try VesselDataProvider(nx: 64, ny: 64, seed: 3), rgb = try VesselDataProvider(nx: 64, ny: 64, rgb: true, seed: 3)
        let (g, _, _) = try grey(1), (c, _, _) = try rgb(1)
        for p in 0..<(64 * 64) {
            XCTAssertEqual(c.scalars[3 * p + 1], g.scalars[p])
            XCTAssertGreaterThanOrEqual(c.scalars[3 * p], c.scalars[3 * p + 1], "fundus images are reddish")
        }
    }

    func testBadParametersThrowClearErrors() throws {
        XCTAssertThrowsError(try VesselDataProvider(nx: 63, ny: 128)) { error in
            XCTAssertEqual("\(error)", "VesselDataProvider: nx (image width) must be at least 64 pixels, but got 63")
        }
        XCTAssertThrowsError(try VesselDataProvider(nx: 64, ny: 10)) { error in
            XCTAssertTrue("\(error)".contains("ny (image height) must be at least 64"), "\(error)")
        }
        XCTAssertThrowsError(try VesselDataProvider(nx: 64, ny: 64, sigma: -1)) { error in
            XCTAssertTrue("\(error)".contains("sigma"), "\(error)")
        }
        XCTAssertThrowsError(try VesselDataProvider(nx: 64, ny: 64, sigma: .infinity))
        XCTAssertThrowsError(try VesselDataProvider(nx: 64, ny: 64, seed: 1)(0)) { error in
            XCTAssertTrue("\(error)".contains("at least 1, but got 0"), "\(error)")
        }
    }

    /// Not a benchmark (other builds may share the machine): prints the time per 256×256 image.
    func testDrawingTimeIsPrinted() throws {
        let generator = try VesselDataProvider(nx: 256, ny: 256, seed: 11)
        _ = generator.nextSample()
        let start = Date()
        for _ in 0..<10 { _ = generator.nextSample() }
        let perImage = Date().timeIntervalSince(start) / 10
        print(String(format: "VesselDataProvider: %.1f ms per 256×256 image", perImage * 1000))
        XCTAssertLessThan(perImage, 2, "far slower than expected")
    }
}
