import XCTest
import UNetKit
@testable import SyntheticData

final class RandomPatchesTests: XCTestCase {
    func testPatchesAreCutAtTheSamePlaceAndCentredInTheFOV() throws {
        let generator = try VesselDataProvider(nx: 96, ny: 80, seed: 3)
        let (x, y, fov) = try generator(2)
        // Tag every pixel with its position so a patch shows where it came from.
        let tagged = Tensor(shape: x.shape) { i in Float(i[0] * 1_000_000 + i[1] * 1000 + i[2]) }
        var rng = SeededGenerator(seed: 9)
        let size = 48
        let (px, py, pf) = try RandomPatches.draw(count: 40, size: size, images: tagged, labels: y, fov: fov, using: &rng)
        XCTAssertEqual(px.shape, [40, size, size, 1])
        XCTAssertEqual(py.shape, [40, size, size, 2])
        XCTAssertEqual(pf.shape, [40, size, size, 1])
        for k in 0..<40 {
            let corner = Int(px.scalars[k * size * size])
            let (n, y0, x0) = (corner / 1_000_000, corner / 1000 % 1000, corner % 1000)
            for yy in [0, 17, size - 1] {
                for xx in [0, 23, size - 1] {
                    let src = (n * 80 + y0 + yy) * 96 + x0 + xx
                    let dst = (k * size + yy) * size + xx
                    XCTAssertEqual(px.scalars[dst], tagged.scalars[src])
                    XCTAssertEqual(py.scalars[2 * dst + 1], y.scalars[2 * src + 1])
                    XCTAssertEqual(pf.scalars[dst], fov.scalars[src])
                }
            }
            XCTAssertEqual(pf.scalars[(k * size + size / 2) * size + size / 2], 1, "patch \(k)'s centre is in the FOV")
        }
    }

    func testBadRequestsThrow() throws {
        let generator = try VesselDataProvider(nx: 64, ny: 64, seed: 1)
        let (x, y, fov) = try generator(1)
        var rng = SeededGenerator(seed: 1)
        XCTAssertThrowsError(try RandomPatches.draw(count: 1, size: 65, images: x, labels: y, fov: fov, using: &rng)) { error in
            XCTAssertTrue("\(error)".contains("size must be in 1…64"), "\(error)")
        }
        XCTAssertThrowsError(try RandomPatches.draw(count: 1, size: 8, images: x, labels: y, fov: Tensor(zeros: [1, 64, 64, 1]),
                                                    using: &rng)) { error in
            XCTAssertTrue("\(error)".contains("no FOV pixel"), "\(error)")
        }
        XCTAssertThrowsError(try RandomPatches.draw(count: 0, size: 8, images: x, labels: y, fov: fov, using: &rng))
        XCTAssertThrowsError(try RandomPatches.draw(count: 1, size: 8, images: x, labels: Tensor(zeros: [1, 32, 64, 2]),
                                                    fov: fov, using: &rng)) { error in
            XCTAssertTrue("\(error)".contains("[1, 32, 64, 2]"), "\(error)")
        }
    }
}
