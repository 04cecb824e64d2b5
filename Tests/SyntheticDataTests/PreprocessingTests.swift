import XCTest
import UNetKit
import TestSupport
@testable import SyntheticData

/// Grey conversion, histogram equalisation, CLAHE and gamma against OpenCV
/// (`Fixtures/make_data_fixtures.py` → `Tests/Fixtures/data.safetensors`). 8-bit results must
/// match exactly.
final class PreprocessingTests: XCTestCase {
    func assertSame(_ ours: ByteImage, _ theirs: ByteImage, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual([ours.width, ours.height], [theirs.width, theirs.height], what, file: file, line: line)
        let differing = zip(ours.pixels, theirs.pixels).enumerated().filter { $0.element.0 != $0.element.1 }
        if let first = differing.first {
            XCTFail("\(what): \(differing.count) of \(ours.pixels.count) pixels differ; first at \(first.offset): "
                    + "\(first.element.0) vs OpenCV \(first.element.1) (largest difference "
                    + "\(differing.map { abs(Int($0.element.0) - Int($0.element.1)) }.max()!))", file: file, line: line)
        }
    }

    func testGreyConversionMatchesOpenCVExactly() throws {
        let rgb = try DataFixtures.tensor("grey.rgb")
        let (h, w) = (rgb.shape[0], rgb.shape[1])
        let ours = try GreyConversion.grey(rgb: rgb.scalars.map { UInt8($0) }, width: w, height: h)
        assertSame(ours, try DataFixtures.byteImage("grey.out"), "cvtColor RGB2GRAY")
    }

    func testFloatGreyConversionUsesTheLumaWeights() throws {
        let x = try Tensor(shape: [1, 1, 2, 3], scalars: [1, 0, 0, 0.5, 0.25, 1])
        let g = try GreyConversion.grey(x)
        XCTAssertEqual(g.shape, [1, 1, 2, 1])
        XCTAssertEqual(g.scalars[0], 0.299, accuracy: 1e-7)
        XCTAssertEqual(g.scalars[1], 0.299 * 0.5 + 0.587 * 0.25 + 0.114, accuracy: 1e-6)
        XCTAssertThrowsError(try GreyConversion.grey(Tensor(zeros: [1, 2, 2, 1]))) { error in
            XCTAssertTrue("\(error)".contains("B×H×W×3"), "\(error)")
        }
    }

    func testEqualizeHistMatchesOpenCVExactly() throws {
        let cases = try DataFixtures.cases("eq.", ".in")
        XCTAssertGreaterThanOrEqual(cases.count, 7)
        for name in cases {
            let input = try DataFixtures.byteImage("eq.\(name).in")
            assertSame(HistogramEqualization.equalize(input), try DataFixtures.byteImage("eq.\(name).out"), "equalizeHist \(name)")
        }
    }

    func testEqualizationSpreadsTheLevelsPresentOverTheFullRange() throws {
        let image = try ByteImage(width: 4, height: 1, pixels: [10, 10, 20, 30])
        let out = HistogramEqualization.equalize(image)
        XCTAssertEqual(out.pixels.min(), 0)
        XCTAssertEqual(out.pixels.max(), 255)
    }

    func testCLAHEMatchesOpenCV() throws {
        let cases = try DataFixtures.cases("clahe.", ".in")
        XCTAssertGreaterThanOrEqual(cases.count, 10)
        for name in cases {
            let params = try DataFixtures.tensor("clahe.\(name).params").scalars
            let input = try DataFixtures.byteImage("clahe.\(name).in")
            let ours = try CLAHE.apply(input, clipLimit: Double(params[0]), tilesX: Int(params[1]), tilesY: Int(params[2]))
            assertSame(ours, try DataFixtures.byteImage("clahe.\(name).out"), "CLAHE \(name) \(params)")
        }
    }

    func testCLAHEClippingRedistributesEveryClippedPixel() {
        var histogram = [Int](repeating: 0, count: 256)
        histogram[7] = 1000
        histogram[200] = 3
        CLAHE.clip(&histogram, at: 10)
        XCTAssertEqual(histogram.reduce(0, +), 1003, "clipping keeps the pixel count")
        XCTAssertLessThanOrEqual(histogram.max()!, 10 + 990 / 256 + 1)
        // 990 clipped: 3 to every bin, the residual 222 one each to bins 0, 1, 2, … (step 256/222 = 1).
        XCTAssertEqual(histogram[0], 4)
        XCTAssertEqual(histogram[221], 4)
        XCTAssertEqual(histogram[222], 3)
    }

    func testGammaTableMatchesRetinaUNetThroughCvLUT() throws {
        for gamma in [1.2, 0.5, 2.2] {
            let theirs = try DataFixtures.tensor("gamma.\(gamma).lut").scalars.map { UInt8($0) }
            XCTAssertEqual(try GammaCorrection.table(gamma: gamma), theirs, "gamma \(gamma)")
        }
        let image = try ByteImage(width: 3, height: 1, pixels: [0, 64, 255])
        let out = try GammaCorrection.apply(image, gamma: 1.2)
        XCTAssertEqual(out.pixels[0], 0)
        XCTAssertEqual(out.pixels[2], 255)
        XCTAssertGreaterThan(out.pixels[1], 64, "γ > 1 brightens the mid-tones")
    }

    func testBadParametersThrowClearErrors() throws {
        let image = try ByteImage(width: 4, height: 4, pixels: [UInt8](repeating: 3, count: 16))
        XCTAssertThrowsError(try CLAHE.apply(image, clipLimit: 2, tilesX: 0, tilesY: 8)) { error in
            XCTAssertTrue("\(error)".contains("0×8"), "\(error)")
        }
        XCTAssertThrowsError(try CLAHE.apply(image, clipLimit: .nan)) { error in
            XCTAssertTrue("\(error)".contains("clipLimit"), "\(error)")
        }
        XCTAssertThrowsError(try GammaCorrection.table(gamma: 0)) { error in
            XCTAssertTrue("\(error)".contains("gamma"), "\(error)")
        }
        XCTAssertThrowsError(try ByteImage(width: 3, height: 2, pixels: [1, 2])) { error in
            XCTAssertTrue("\(error)".contains("needs 6 pixels, but got 2"), "\(error)")
        }
    }

    func testByteImageRoundsUnitValues() throws {
        let image = try ByteImage(unitValues: [0, 0.5, 1, 1.5, -1, .nan], width: 6, height: 1)
        XCTAssertEqual(image.pixels, [0, 128, 255, 255, 0, 0])
        XCTAssertEqual(image.unitValues()[2], 1)
    }
}
