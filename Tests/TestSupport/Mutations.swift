import Foundation
import UNetKit

/// A seeded mutation fuzzer for file readers: from a corpus of seed files it makes `budget`
/// variants — bytes flipped, set to 0/0xFF, inserted, deleted, runs duplicated, the file cut,
/// interesting 8-byte little-endian and 4-byte big-endian integers written over it, decimal
/// digits spliced into text — and hands each to the reader. A reader that traps ends the test
/// process (the run fails); one that throws an unexpected error type fails the test.
public struct MutationFuzzer {
    public var generator: SeededGenerator
    public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    static let interesting64: [UInt64] = [0, 1, 7, 8, 0x7F, 0xFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
                                          0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF]
    static let digits: [String] = ["-1", "0", "9223372036854775807", "-9223372036854775808", "18446744073709551616",
                                   "4294967296", "1e308", "0.5", "\"", "{", "[", "}", "]", ",", "null"]

    /// One mutation (1–4 edits) of `bytes`.
    public mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let position = b.isEmpty ? 0 : Int.random(in: 0..<b.count, using: &generator)
            switch Int.random(in: 0..<9, using: &generator) {
            case 0 where !b.isEmpty: b[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
            case 1 where !b.isEmpty: b[position] = [0, 0xFF, 0x7F, 0x80][Int.random(in: 0..<4, using: &generator)]
            case 2: b.insert(UInt8.random(in: 0...255, using: &generator), at: position)
            case 3 where !b.isEmpty: b.remove(at: position)
            case 4 where !b.isEmpty: b = Array(b.prefix(position))
            case 5:
                let v = Self.interesting64.randomElement(using: &generator)!
                let at = min(position, max(0, b.count - 8))
                for k in 0..<8 where at + k < b.count { b[at + k] = UInt8((v >> (8 * UInt64(k))) & 0xFF) }
            case 6:
                let v = UInt32(truncatingIfNeeded: Self.interesting64.randomElement(using: &generator)!)
                let at = min(position, max(0, b.count - 4))
                for k in 0..<4 where at + k < b.count { b[at + k] = UInt8((v >> (8 * UInt32(3 - k))) & 0xFF) }
            case 7:
                let text = Array(Self.digits.randomElement(using: &generator)!.utf8)
                b.insert(contentsOf: text, at: position)
            default:
                guard !b.isEmpty else { continue }
                let end = min(b.count, position + Int.random(in: 1...16, using: &generator))
                b.insert(contentsOf: b[position..<end], at: position)
            }
        }
        return b
    }

    /// The files of `directory` whose names end in `suffix`, sorted, with their bytes.
    public static func corpus(_ directory: URL, suffix: String) throws -> [(name: String, bytes: [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(suffix) }.sorted().map {
            ($0, [UInt8](try Data(contentsOf: directory.appendingPathComponent($0))))
        }
    }

    /// What `Fixtures/make_hostile_corpus.py` says each corpus file must give ("valid…" or "error…").
    public static func expectations(_ directory: URL) throws -> [String: String] {
        let text = try String(contentsOf: directory.appendingPathComponent("README.txt"), encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { out[String(parts[0])] = String(parts[1]) }
        }
        return out
    }
}

/// `Tests/Fixtures/hostile/`: the hostile-input corpus (`Fixtures/make_hostile_corpus.py`).
public let hostileCorpusDirectory = fixturesDirectory.appendingPathComponent("hostile")
