import XCTest
import SyntheticData

/// Bad parameters throw a `GeneratorError` saying what was expected and what was given.
final class GeneratorErrorTests: XCTestCase {
    func assertMessage(_ expression: @autoclosure () throws -> Any, contains parts: [String],
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            XCTAssertTrue(error is GeneratorError, "\(type(of: error))", file: file, line: line)
            for part in parts {
                XCTAssertTrue("\(error)".contains(part), "'\(error)' should contain '\(part)'", file: file, line: line)
            }
        }
    }

    func testBadSizes() {
        assertMessage(try GrayScaleDataProvider(nx: 8, ny: 128),
                      contains: ["nx (image width) must be at least 16 pixels", "got 8"])
        assertMessage(try GrayScaleDataProvider(nx: 128, ny: 0),
                      contains: ["ny (image height) must be at least 16 pixels", "got 0"])
        assertMessage(try GrayScaleDataProvider(nx: -5, ny: 32), contains: ["got -5"])
        assertMessage(try RgbDataProvider(nx: 15, ny: 15), contains: ["RgbDataProvider", "got 15"])
        assertMessage(try GrayScaleDataProvider(nx: 16, ny: 200),
                      contains: ["16×200", "too elongated", "border of 21 px", "more than 42 px"])
    }

    func testBadCountAndSigma() {
        assertMessage(try GrayScaleDataProvider(nx: 32, ny: 32, cnt: -1),
                      contains: ["cnt (circles per image) must be 0 or more", "got -1"])
        assertMessage(try GrayScaleDataProvider(nx: 32, ny: 32, cnt: 2_000_000),
                      contains: ["at most 1000000", "got 2000000"])
        assertMessage(try GrayScaleDataProvider(nx: 32, ny: 32, sigma: -0.5),
                      contains: ["sigma (noise standard deviation)", "got -0.5"])
        assertMessage(try GrayScaleDataProvider(nx: 32, ny: 32, sigma: .nan), contains: ["got nan"])
    }

    func testBadBatchSizes() throws {
        let generator = try GrayScaleDataProvider(nx: 32, ny: 32, seed: 1)
        assertMessage(try generator(0), contains: ["number of images must be at least 1", "got 0"])
        assertMessage(try generator(-3), contains: ["got -3"])
        assertMessage(try generator(Int.max / 2), contains: ["too large", "draw smaller batches"])
        let rgb = try RgbDataProvider(nx: 32, ny: 32, seed: 1)
        assertMessage(try rgb(0), contains: ["RgbDataProvider", "got 0"])
        assertMessage(try GrayScaleDataProvider(nx: 1 << 20, ny: 1 << 20), contains: ["too large"])
    }
}
