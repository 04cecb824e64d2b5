import XCTest
@testable import Figures

/// Colour maps against matplotlib 3.6.3's (`matplotlib.colors.to_hex(cmap(t))`).
final class ColorMapTests: XCTestCase {
    func hex(_ c: RGBColor) -> String {
        let (r, g, b) = c.bytes
        return String(format: "#%02x%02x%02x", r, g, b)
    }

    func testViridisMatchesMatplotlib() {
        let expected: [(Float, String)] = [(0, "#440154"), (0.25, "#3b528b"), (0.5, "#21918c"),
                                           (0.75, "#5ec962"), (1, "#fde725")]
        for (t, code) in expected { XCTAssertEqual(hex(ColorMap.viridis.color(at: t)), code, "viridis(\(t))") }
    }

    func testHotMatchesMatplotlib() {
        let expected: [(Float, String)] = [(0, "#0b0000"), (0.25, "#b30000"), (0.5, "#ff5c00"),
                                           (0.75, "#ffff07"), (1, "#ffffff")]
        for (t, code) in expected { XCTAssertEqual(hex(ColorMap.hot.color(at: t)), code, "hot(\(t))") }
    }

    func testGrayClampingAndNaN() {
        XCTAssertEqual(hex(ColorMap.gray.color(at: 0)), "#000000")
        XCTAssertEqual(hex(ColorMap.gray.color(at: 1)), "#ffffff")
        XCTAssertEqual(hex(ColorMap.gray.color(at: 0.5)), "#808080")
        XCTAssertEqual(ColorMap.gray.color(at: -3), ColorMap.gray.color(at: 0))
        XCTAssertEqual(ColorMap.viridis.color(at: 7), ColorMap.viridis.color(at: 1))
        XCTAssertEqual(ColorMap.hot.color(at: .nan), ColorMap.hot.color(at: 0))
    }

    func testViridisLightnessIncreases() {
        // perceptual: luminance rises monotonically from dark purple to yellow
        var previous: Float = -1
        for i in 0..<256 {
            let c = ColorMap.viridis.color(at: Float(i) / 255)
            let luminance = 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue
            XCTAssertGreaterThan(luminance, previous, "entry \(i)")
            previous = luminance
        }
    }
}
