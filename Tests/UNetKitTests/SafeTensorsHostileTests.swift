import Foundation
import XCTest
import UNetKit
import TestSupport

/// The safetensors reader on hostile files: every file of the corpus (`Tests/Fixtures/hostile`,
/// one per trap of issue 15) gives what the corpus says, and a seeded mutation loop over the
/// corpus never traps — every variant decodes or throws `SafeTensorsError`.
final class SafeTensorsHostileTests: XCTestCase {
    func testEveryCorpusFileGivesWhatTheCorpusSays() throws {
        let corpus = try MutationFuzzer.corpus(hostileCorpusDirectory, suffix: ".safetensors")
        let expected = try MutationFuzzer.expectations(hostileCorpusDirectory)
        XCTAssertGreaterThanOrEqual(corpus.count, 30)
        for (name, bytes) in corpus {
            let expectation = try XCTUnwrap(expected[name], "\(name) is not in README.txt")
            if expectation.hasPrefix("valid") {
                XCTAssertNoThrow(try SafeTensors.decode(bytes, source: name), name)
            } else {
                XCTAssertThrowsError(try SafeTensors.decode(bytes, source: name), name) { error in
                    XCTAssert(error is SafeTensorsError, "\(name): \(type(of: error))")
                    XCTAssert("\(error)".contains(name), "\(name): the message does not name the file: \(error)")
                }
            }
        }
    }

    func testMessagesSayWhatWasExpected() throws {
        func message(_ name: String) throws -> String {
            let bytes = [UInt8](try Data(contentsOf: hostileCorpusDirectory.appendingPathComponent(name)))
            do { _ = try SafeTensors.decode(bytes, source: name); return "" } catch { return "\(error)" }
        }
        XCTAssert(try message("duplicate_keys.safetensors").contains("the key \"a\" twice"))
        XCTAssert(try message("offsets_overlapping.safetensors").contains("overlaps"))
        XCTAssert(try message("offsets_gap.safetensors").contains("belong to no tensor"))
        XCTAssert(try message("header_length_int64_max.safetensors").contains("header length is 9223372036854775807"))
        XCTAssert(try message("shape_negative_reversed_offsets.safetensors").contains("dimensions ≥ 0"))
        XCTAssert(try message("offsets_int64_min.safetensors").contains("0 ≤ begin ≤ end"))
        XCTAssert(try message("unknown_dtype.safetensors").contains("F8_E9M9"))
    }

    func testValidFilesKeepTheirValues() throws {
        let bytes = [UInt8](try Data(contentsOf: hostileCorpusDirectory.appendingPathComponent("valid_all_dtypes.safetensors")))
        let file = try SafeTensors.decode(bytes)
        XCTAssertEqual(file["f64"]?.scalars, [0.5])
        XCTAssertEqual(file["i32"]?.scalars, [-1, 2])
        XCTAssertEqual(file["u8"]?.shape, [2, 2])
        XCTAssertEqual(file["bool"]?.shape, [])
        XCTAssertEqual(file["empty"]?.shape, [0, 3])
        let escaped = [UInt8](try Data(contentsOf: hostileCorpusDirectory.appendingPathComponent("valid_escaped_names.safetensors")))
        XCTAssertEqual(try SafeTensors.decode(escaped).names, ["café 😀"])
    }

    func testEncodeDecodeRoundTrip() throws {
        let a = try Tensor(shape: [2, 3], scalars: [1, -2, 3.5, .pi, 0, 1e-30])
        let data = try SafeTensors.encode([("a", .init(a)), ("n", .init(Tensor(repeating: 7, shape: [2]), dtype: "I64"))],
                                          metadata: ["k": "v \"quoted\" \\ é"])
        let file = try SafeTensors.decode(data)
        XCTAssertEqual(file["a"], a)
        XCTAssertEqual(file["n"]?.scalars, [7, 7])
        XCTAssertEqual(file.metadata, ["k": "v \"quoted\" \\ é"])
    }

    /// 100000 mutations (under a second): zero traps, only `SafeTensorsError`.
    func testMutatedCorpusNeverTraps() throws {
        let corpus = try MutationFuzzer.corpus(hostileCorpusDirectory, suffix: ".safetensors").filter { $0.bytes.count < 4096 }
        var fuzzer = MutationFuzzer(seed: 15)
        var decoded = 0, refused = 0
        for i in 0..<100_000 {
            let seed = corpus[i % corpus.count]
            let bytes = fuzzer.mutate(seed.bytes)
            do {
                _ = try SafeTensors.decode(bytes, source: "mutation \(i) of \(seed.name)")
                decoded += 1
            } catch is SafeTensorsError {
                refused += 1
            } catch {
                XCTFail("mutation \(i) of \(seed.name): unexpected error type \(type(of: error)): \(error)")
            }
        }
        XCTAssertGreaterThan(decoded, 300, "the mutations should keep some files valid")
        XCTAssertGreaterThan(refused, 50_000)
    }

    func testNonFiniteWeightsAreRefusedWhenLoading() throws {
        let layer = Linear(2, 1)
        var entries = Dictionary(uniqueKeysWithValues: layer.stateDict().map { ($0.name, $0.tensor) })
        let before = layer.stateDict().map(\.tensor)
        entries["weight"] = try Tensor(shape: [1, 2], scalars: [.nan, 1])
        XCTAssertThrowsError(try layer.loadStateDict(entries)) { error in
            XCTAssert("\(error)".contains("NaN or infinite values (in weight)"), "\(error)")
        }
        entries["weight"] = try Tensor(shape: [1, 2], scalars: [.infinity, 1])
        XCTAssertThrowsError(try layer.loadStateDict(entries))
        XCTAssertEqual(layer.stateDict().map(\.tensor), before, "a refused file changes nothing")
    }

    func testReadRefusesFoldersFIFOsAndDevices() throws {
        let folder = NSTemporaryDirectory() + "st-hostile-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/fifo.safetensors"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        for (path, kind) in [(folder, "a folder"), (fifo, "a FIFO"), ("/dev/zero", "a character device"),
                             (folder + "/absent.safetensors", "no such file")] {
            XCTAssertThrowsError(try SafeTensors.read(URL(fileURLWithPath: path))) { error in
                XCTAssert("\(error)".contains(kind), "\(path): \(error)")
                XCTAssertFalse("\(error)".contains("NSCocoaErrorDomain"))
            }
        }
    }
}
