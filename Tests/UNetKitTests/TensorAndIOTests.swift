import XCTest
import TestSupport
@testable import UNetKit

final class TensorAndIOTests: XCTestCase {
    func testPermuteBetweenNHWCAndNCHW() throws {
        let x = Tensor(shape: [2, 3, 4, 5]) { Float($0[0] * 1000 + $0[1] * 100 + $0[2] * 10 + $0[3]) }
        let y = try x.nhwcToNCHW()
        XCTAssertEqual(y.shape, [2, 5, 3, 4])
        XCTAssertEqual(y[1, 4, 2, 3], x[1, 2, 3, 4])
        XCTAssertEqual(try y.nchwToNHWC(), x)
        XCTAssertThrowsError(try x.permuted([0, 1, 1, 2]))
    }

    func testValueSemantics() {
        var a = Tensor(zeros: [2, 2])
        let b = a
        a[0, 1] = 5
        XCTAssertEqual(b[0, 1], 0)
        XCTAssertEqual(a[0, 1], 5)
    }

    func testSafeTensorsRoundTripAndFixtureMetadata() throws {
        let a = randomTensor([2, 3], seed: 1)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("roundtrip-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write([("a", .init(a)), ("count", .init(Tensor(repeating: 7, shape: []), dtype: "I64"))],
                              metadata: ["k": "v"], to: url)
        let back = try SafeTensors.read(url)
        XCTAssertEqual(back["a"], a)
        XCTAssertEqual(back["count"]?.scalars, [7])
        XCTAssertEqual(back.entries.map(\.entry.dtype), ["F32", "I64"])
        XCTAssertEqual(back.metadata["k"], "v")
        XCTAssertEqual(try OpsFixtures.file().metadata["torch"]?.hasPrefix("2.13.0"), true)
    }

    func testSafeTensorsRejectsBadFiles() throws {
        XCTAssertThrowsError(try SafeTensors.decode(Data([1, 2, 3]), source: "x")) {
            XCTAssertTrue("\($0)".contains("3 bytes, expected at least 8"), "\($0)")
        }
        var truncated = try SafeTensors.encode([("a", .init(Tensor(zeros: [4])))])
        truncated.removeLast(4)
        XCTAssertThrowsError(try SafeTensors.decode(truncated, source: "t")) {
            XCTAssertTrue("\($0)".contains("needs 16 bytes"), "\($0)")
        }
        XCTAssertThrowsError(try SafeTensors.read(URL(fileURLWithPath: "/nonexistent/w.safetensors"))) {
            XCTAssertTrue("\($0)".contains("/nonexistent/w.safetensors"), "\($0)")
        }
    }

    func testSeededGeneratorIsReproducible() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let xs = (0..<5).map { _ in a.next() }
        XCTAssertEqual(xs, (0..<5).map { _ in b.next() })
        XCTAssertNotEqual(xs, (0..<5).map { _ in c.next() })
        var g = SeededGenerator(seed: 1)
        let normals = (0..<20000).map { _ in g.normal() }
        let mean = normals.reduce(0, +) / Double(normals.count)
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(normals.count)
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.05)
    }
}
