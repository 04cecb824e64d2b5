import XCTest
import UNetKit
import SyntheticData

/// Reproducibility: the same seed gives the same batches bit for bit.
final class GeneratorSeedTests: XCTestCase {
    func testSameSeedSameBatch() throws {
        let a = try GrayScaleDataProvider(nx: 64, ny: 48, cnt: 10, sigma: 20, seed: 42)
        let b = try GrayScaleDataProvider(nx: 64, ny: 48, cnt: 10, sigma: 20, seed: 42)
        let (xa, ya) = try a(3)
        let (xb, yb) = try b(3)
        XCTAssertEqual(xa.scalars.map(\.bitPattern), xb.scalars.map(\.bitPattern))
        XCTAssertEqual(ya, yb)
        XCTAssertEqual(a.seed, 42)
    }

    func testOtherSeedOtherBatch() throws {
        let a = try GrayScaleDataProvider(nx: 64, ny: 64, seed: 1)
        let b = try GrayScaleDataProvider(nx: 64, ny: 64, seed: 2)
        XCTAssertNotEqual(try a(1).images, try b(1).images)
    }

    func testSuccessiveCallsContinueTheStream() throws {
        let once = try GrayScaleDataProvider(nx: 32, ny: 32, seed: 7)
        let twice = try GrayScaleDataProvider(nx: 32, ny: 32, seed: 7)
        let (x2, y2) = try once(2)
        let (first, firstLabels) = try twice(1)
        let (second, secondLabels) = try twice(1)
        XCTAssertEqual(x2.scalars, first.scalars + second.scalars)
        XCTAssertEqual(y2.scalars, firstLabels.scalars + secondLabels.scalars)
        XCTAssertNotEqual(first.scalars, second.scalars, "fresh images on every call")
    }

    func testNoSeedPicksOneThatReproducesTheRun() throws {
        let random = try GrayScaleDataProvider(nx: 32, ny: 32)
        let replay = try GrayScaleDataProvider(nx: 32, ny: 32, seed: random.seed)
        XCTAssertEqual(try random(2).images, try replay(2).images)
    }
}
