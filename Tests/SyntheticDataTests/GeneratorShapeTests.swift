import XCTest
import UNetKit
@testable import SyntheticData

/// Shapes, value ranges, one-hot labels and the drawing rules of the generator.
final class GeneratorShapeTests: XCTestCase {
    func testCourseShapesAreBHWC() throws {
        let generator = try GrayScaleDataProvider(nx: 128, ny: 128, cnt: 10, sigma: 20, seed: 1)
        let (x, y) = try generator(2)
        XCTAssertEqual(x.shape, [2, 128, 128, 1])
        XCTAssertEqual(y.shape, [2, 128, 128, 2])
        XCTAssertEqual(try x.nhwcToNCHW().shape, [2, 1, 128, 128])
    }

    func testNonSquareNonPowerOfTwoShapes() throws {
        let generator = try GrayScaleDataProvider(nx: 96, ny: 60, cnt: 4, sigma: 5, seed: 2)
        let (x, y) = try generator(3)
        XCTAssertEqual(x.shape, [3, 60, 96, 1], "images are n × ny × nx × 1")
        XCTAssertEqual(y.shape, [3, 60, 96, 2])
        let smallest = try GrayScaleDataProvider(nx: 16, ny: 16, seed: 3)
        XCTAssertEqual(try smallest(1).images.shape, [1, 16, 16, 1])
    }

    func testRectanglesAddAThirdClassAndRGBHasThreeChannels() throws {
        let rectangles = try GrayScaleDataProvider(nx: 64, ny: 64, rectangles: true, seed: 4)
        XCTAssertEqual(rectangles.nClasses, 3)
        let (x, y) = try rectangles(2)
        XCTAssertEqual(x.shape, [2, 64, 64, 1])
        XCTAssertEqual(y.shape, [2, 64, 64, 3])
        let squaresSeen = stride(from: 2, to: y.count, by: 3).contains { y.scalars[$0] == 1 }
        XCTAssertTrue(squaresSeen, "with 5 squares per image some pixel must be class 2")

        let rgb = try RgbDataProvider(nx: 64, ny: 48, seed: 4)
        let (xr, yr) = try rgb(2)
        XCTAssertEqual(xr.shape, [2, 48, 64, 3])
        XCTAssertEqual(yr.shape, [2, 48, 64, 2])
    }

    func testLabelsAreOneHotEverywhere() throws {
        for rectangles in [false, true] {
            let generator = try GrayScaleDataProvider(nx: 80, ny: 72, cnt: 12, sigma: 20,
                                                      rectangles: rectangles, seed: 5)
            let (_, y) = try generator(4)
            let k = generator.nClasses
            for p in 0..<(y.count / k) {
                let row = y.scalars[(p * k) ..< ((p + 1) * k)]
                XCTAssertTrue(row.allSatisfy { $0 == 0 || $0 == 1 }, "pixel \(p): \(Array(row))")
                XCTAssertEqual(row.reduce(0, +), 1, "pixel \(p) is not one-hot: \(Array(row))")
                if row.reduce(0, +) != 1 { return }
            }
        }
    }

    func testImageIsStretchedToTheUnitInterval() throws {
        let generator = try GrayScaleDataProvider(nx: 128, ny: 128, seed: 6)
        let (x, _) = try generator(3)
        let plane = 128 * 128
        for i in 0..<3 {
            let image = x.scalars[(i * plane) ..< ((i + 1) * plane)]
            XCTAssertEqual(image.min(), 0, "image \(i): the minimum is subtracted")
            XCTAssertEqual(image.max(), 1, "image \(i): divided by the maximum")
            XCTAssertFalse(image.contains { $0.isNaN })
        }
        let blank = try GrayScaleDataProvider(nx: 16, ny: 16, cnt: 0, sigma: 0, seed: 6)
        XCTAssertEqual(try blank(1).images.scalars, [Float](repeating: 0, count: 256),
                       "a constant image becomes zeros, not NaN")
    }

    func testCirclesStayInsideTheBorderAndRangesHold() throws {
        for (nx, ny) in [(128, 128), (96, 64), (16, 16), (50, 70)] {
            let generator = try GrayScaleDataProvider(nx: nx, ny: ny, cnt: 10, rectangles: true, seed: 7)
            let g = generator.geometry
            for _ in 0..<50 {
                let sample = generator.nextSample()
                XCTAssertEqual(sample.circles.count, 10)
                XCTAssertEqual(sample.squares.count, 5)
                for c in sample.circles {
                    XCTAssertTrue((g.border ..< ny - g.border).contains(c.centerRow), "\(nx)×\(ny): \(c)")
                    XCTAssertTrue((g.border ..< nx - g.border).contains(c.centerColumn), "\(nx)×\(ny): \(c)")
                    XCTAssertTrue((g.rMin ..< g.rMax).contains(c.radius), "\(nx)×\(ny): \(c)")
                    XCTAssertTrue((1...254).contains(c.grey), "\(c)")
                }
                for s in sample.squares {
                    XCTAssertTrue((0 ..< ny).contains(s.top) && (0 ..< nx).contains(s.left), "\(s)")
                    XCTAssertTrue((g.rMin ..< g.rMax).contains(s.side), "\(s)")
                    XCTAssertTrue((1...254).contains(s.grey), "\(s)")
                }
            }
        }
    }

    /// Redraws the label and the noiseless image from the shapes the generator reports.
    func testPixelsFollowTheShapesLaterShapesWin() throws {
        let nx = 70, ny = 50
        let generator = try GrayScaleDataProvider(nx: nx, ny: ny, cnt: 8, sigma: 0, rectangles: true, seed: 8)
        for _ in 0..<20 {
            let sample = generator.nextSample()
            var grey = [Int](repeating: 1, count: nx * ny)
            var label = [UInt8](repeating: 0, count: nx * ny)
            for row in 0..<ny {
                for column in 0..<nx {
                    for c in sample.circles {
                        let dy = row - c.centerRow, dx = column - c.centerColumn
                        if dx * dx + dy * dy <= c.radius * c.radius {
                            grey[row * nx + column] = c.grey
                            label[row * nx + column] = 1
                        }
                    }
                    for s in sample.squares where row >= s.top && row < s.top + s.side
                        && column >= s.left && column < s.left + s.side {
                        grey[row * nx + column] = s.grey
                        label[row * nx + column] = 2
                    }
                }
            }
            XCTAssertEqual(sample.classMap, label)
            let low = Float(grey.min()!), high = Float(grey.max()!)
            let expected = grey.map { (Float($0) - low) / (high - low) }
            for p in 0..<(nx * ny) {
                XCTAssertEqual(sample.image[p], expected[p], accuracy: 1e-6, "pixel \(p)")
            }
        }
    }

    func testRGBIsTheGreyImageMapped() throws {
        XCTAssertTrue(greyToRGB(0) == (0, 1, 1), "v = 0 → cyan: R 0, G clip(21) = 1, B clip(3) = 1")
        XCTAssertTrue(greyToRGB(0.5) == (1, 0, 1), "v = 0.5 → magenta")
        XCTAssertTrue(greyToRGB(1) == (1, 1, 0), "v = 1 → yellow")
        let c = greyToRGB(0.3)
        XCTAssertEqual(c.red, 0.2, accuracy: 1e-6)
        XCTAssertEqual(c.green, 1, accuracy: 1e-6)
        XCTAssertEqual(c.blue, 1, accuracy: 1e-6)

        let grey = try GrayScaleDataProvider(nx: 40, ny: 30, seed: 9)
        let rgb = try RgbDataProvider(nx: 40, ny: 30, seed: 9)
        let (xg, yg) = try grey(2)
        let (xc, yc) = try rgb(2)
        XCTAssertEqual(yg, yc, "same seed → same shapes and labels")
        for p in 0..<xg.count {
            let (r, g, b) = greyToRGB(xg.scalars[p])
            XCTAssertEqual([xc.scalars[3 * p], xc.scalars[3 * p + 1], xc.scalars[3 * p + 2]], [r, g, b])
        }
    }

    func testBatchSlices() throws {
        let generator = try GrayScaleDataProvider(nx: 20, ny: 18, rectangles: true, seed: 10)
        let (x, y) = try generator(2)
        let channel = try BatchSlices.channel(0, of: x, sample: 1)
        XCTAssertEqual(channel.count, 18 * 20)
        XCTAssertEqual(channel[5 * 20 + 7], x[1, 5, 7, 0])
        let classes = try BatchSlices.classIndexMap(of: y, sample: 1)
        for p in 0..<(18 * 20) {
            XCTAssertEqual(y[1, p / 20, p % 20, Int(classes[p])], 1)
        }
        XCTAssertEqual(try BatchSlices.sample(1, of: x), channel)
        XCTAssertThrowsError(try BatchSlices.channel(1, of: x, sample: 0)) { error in
            XCTAssertTrue("\(error)".contains("channel 1 is out of range 0..<1"), "\(error)")
        }
        XCTAssertThrowsError(try BatchSlices.sample(2, of: x)) { error in
            XCTAssertTrue("\(error)".contains("sample index 2 is out of range 0..<2"), "\(error)")
        }
    }
}
