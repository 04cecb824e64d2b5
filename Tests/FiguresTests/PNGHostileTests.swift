import Foundation
import XCTest
import Figures
import TestSupport

/// The PNG reader on hostile files: the corpus's PNGs (`Tests/Fixtures/hostile`) give what the
/// corpus says — a header claiming 100000×100000 pixels is refused from the header, before
/// any pixel memory is allocated — and a seeded mutation loop never traps.
final class PNGHostileTests: XCTestCase {
    func testEveryCorpusPNGGivesWhatTheCorpusSays() throws {
        let corpus = try MutationFuzzer.corpus(hostileCorpusDirectory, suffix: ".png")
        let expected = try MutationFuzzer.expectations(hostileCorpusDirectory)
        XCTAssertGreaterThanOrEqual(corpus.count, 8)
        for (name, bytes) in corpus {
            let expectation = try XCTUnwrap(expected[name], "\(name) is not in README.txt")
            if expectation.hasPrefix("valid") {
                let image = try RGBImage.decodePNG(bytes, source: name)
                XCTAssertEqual([image.width, image.height], [16, 16], name)
            } else {
                XCTAssertThrowsError(try RGBImage.decodePNG(bytes, source: name), name) { error in
                    XCTAssert(error is FigureError, "\(name): \(type(of: error))")
                    XCTAssert("\(error)".contains(name), "\(name): \(error)")
                }
            }
        }
    }

    func testHugeHeaderIsRefusedFromTheHeader() throws {
        let path = hostileCorpusDirectory.appendingPathComponent("huge_header_100000x100000.png").path
        XCTAssertThrowsError(try RGBImage.readPNG(from: path)) { error in
            XCTAssert("\(error)".contains("its header says 100000×100000 pixels"), "\(error)")
        }
        // A limit below the image's size refuses a valid image too, naming both sizes.
        let valid = hostileCorpusDirectory.appendingPathComponent("valid_grey_16x16.png").path
        XCTAssertThrowsError(try RGBImage.readPNG(from: valid, maximumPixels: 255)) { error in
            XCTAssert("\(error)".contains("16×16"), "\(error)")
        }
        XCTAssertNoThrow(try RGBImage.readPNG(from: valid, maximumPixels: 256))
    }

    func testReadRefusesFoldersFIFOsAndDevices() throws {
        let folder = NSTemporaryDirectory() + "png-hostile-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/fifo.png"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        for (path, kind) in [(folder, "a folder"), (fifo, "a FIFO"), ("/dev/zero", "a character device"), ("", "the path is empty")] {
            XCTAssertThrowsError(try RGBImage.readPNG(from: path)) { error in
                XCTAssert("\(error)".contains(kind), "\(path): \(error)")
            }
        }
    }

    /// 40000 mutations (under a second): zero traps, only `FigureError`.
    func testMutatedCorpusNeverTraps() throws {
        let corpus = try MutationFuzzer.corpus(hostileCorpusDirectory, suffix: ".png")
        var fuzzer = MutationFuzzer(seed: 1515)
        var decoded = 0, refused = 0
        for i in 0..<40_000 {
            let seed = corpus[i % corpus.count]
            let bytes = fuzzer.mutate(seed.bytes)
            do {
                let image = try RGBImage.decodePNG(bytes, source: "mutation \(i) of \(seed.name)")
                XCTAssertLessThanOrEqual(image.width * image.height, RGBImage.maximumPixels)
                decoded += 1
            } catch is FigureError {
                refused += 1
            } catch {
                XCTFail("mutation \(i) of \(seed.name): unexpected error type \(type(of: error)): \(error)")
            }
        }
        XCTAssertGreaterThan(refused, 10_000)
        XCTAssertGreaterThan(decoded, 20, "the mutations should keep some images valid (most break a CRC)")
    }
}
