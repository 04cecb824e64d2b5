import CPNG
import Foundation
import XCTest
@testable import Figures

/// PNG files: round trip through libpng, errors with libpng's or the OS's message, atomic writes.
final class PNGTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "figures-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        chmod(directory, 0o755)
        try? FileManager.default.removeItem(atPath: directory)
    }

    func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory).sorted() }

    func testRoundTripKeepsEveryPixel() throws {
        let width = 7, height = 5
        let pixels = (0..<(width * height * 3)).map { UInt8(($0 * 37 + 11) % 256) }
        let image = try RGBImage(width: width, height: height, pixels: pixels)
        let path = directory + "/round.png"
        try image.writePNG(to: path)
        let back = try RGBImage.readPNG(from: path)
        XCTAssertEqual(back.width, width)
        XCTAssertEqual(back.height, height)
        XCTAssertEqual(back.pixels, pixels)
        XCTAssertEqual(try files(), ["round.png"], "no temporary file left behind")
        let bytes = try image.pngData()
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
    }

    /// A known panel read back: the image area of a grey panel holds the grey ramp's values.
    func testGreyPanelPixelsReadBack() throws {
        // 4 columns: values 0, 1/3, 2/3, 1 → grey levels 0, 85, 170, 255 (matplotlib's gray map
        // picks entry ⌊256 t⌋ of 256, so 1/3 → entry 85 → 85/255 → 85).
        let values: [Float] = (0..<(4 * 4)).map { Float($0 % 4) / 3 }
        let panel = try ImagePanel(title: "ramp", values: values, width: 4, height: 4, colorMap: .gray,
                                   showsColorBar: false)
        let figure = try PanelFigure(rows: 1, columns: 1, panels: [panel], width: 300, height: 300)
        let path = directory + "/panel.png"
        try figure.write(to: path)
        let back = try RGBImage.readPNG(from: path)
        XCTAssertEqual([back.width, back.height], [300, 300])
        // find the image area: the rows through the middle, the pure-grey run left to right
        let y = 150
        var levels: [UInt8] = []
        for x in 0..<300 {
            let (r, g, b) = back[x, y]
            if r == g && g == b && [0, 85, 170, 255].contains(r) && levels.last != r { levels.append(r) }
        }
        // the run starts on the white margin (255), crosses the black frame (0), then the ramp
        XCTAssertTrue(levels.count >= 5, "\(levels)")
        let ramp = Array(levels.drop { $0 == 255 }.drop { $0 == 0 })
        XCTAssertEqual(Array(ramp.prefix(3)), [85, 170, 255], "levels across the middle row: \(levels)")
        // each quarter of the axes is one column of the image, all the same value
        let (r0, _, _) = back[150, 150]
        XCTAssertTrue([85, 170].contains(r0), "the middle pixel lies in column 1 or 2, got \(r0)")
    }

    func testUnwritablePathGivesTheOSMessageAndNoFile() throws {
        let image = try RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 9, count: 12))
        let missing = directory + "/no/such/dir/out.png"
        XCTAssertThrowsError(try image.writePNG(to: missing)) { error in
            XCTAssertTrue(error is FigureError)
            XCTAssertTrue("\(error)".contains(missing), "names the path: \(error)")
            XCTAssertTrue("\(error)".contains("No such file or directory"), "OS message: \(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))

        if getuid() != 0 {   // root may write anywhere: the permission check only means something for users
            chmod(directory, 0o555)
            XCTAssertThrowsError(try image.writePNG(to: directory + "/locked.png")) { error in
                XCTAssertTrue("\(error)".contains("Permission denied"), "\(error)")
            }
            chmod(directory, 0o755)
        }
        XCTAssertEqual(try files(), [], "nothing half-written left behind")
    }

    func testFailedWriteKeepsTheOldFileAndLeavesNoTemporary() throws {
        let path = directory + "/keep.png"
        let old = try RGBImage(width: 3, height: 1, pixels: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        try old.writePNG(to: path)
        // A directory in the way makes rename(2) fail after the temporary file was written.
        let blocked = directory + "/blocked.png"
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        XCTAssertThrowsError(try old.writePNG(to: blocked)) { error in
            XCTAssertTrue("\(error)".contains("rename failed"), "\(error)")
        }
        XCTAssertEqual(try RGBImage.readPNG(from: path), old)
        XCTAssertEqual(try files(), ["blocked.png", "keep.png"], "the temporary file was removed")
    }

    func testReadingANonPNGGivesLibpngsMessage() throws {
        let path = directory + "/fake.png"
        try Data("not a png at all".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RGBImage.readPNG(from: path)) { error in
            XCTAssertTrue("\(error)".contains("cannot read PNG"), "\(error)")
            XCTAssertTrue("\(error)".contains("Not a PNG file"), "libpng's own words: \(error)")
        }
        XCTAssertThrowsError(try RGBImage.readPNG(from: directory + "/absent.png")) { error in
            XCTAssertTrue("\(error)".contains("absent.png"), "\(error)")
        }
    }

    func testBadImageSizesAreRefused() {
        XCTAssertThrowsError(try RGBImage(width: 0, height: 3, pixels: [])) { error in
            XCTAssertTrue("\(error)".contains("positive width and height, but got 0×3"), "\(error)")
        }
        XCTAssertThrowsError(try RGBImage(width: 2, height: 2, pixels: [0, 0, 0])) { error in
            XCTAssertTrue("\(error)".contains("needs 12 bytes, but got 3"), "\(error)")
        }
    }
}
