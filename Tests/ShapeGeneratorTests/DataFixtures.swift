import Foundation
import UNetKit
@testable import ShapeGenerator

/// The tensors made by `Fixtures/make_data_fixtures.py` (OpenCV preprocessing, MONAI's
/// sliding-window rule), loaded once.
enum DataFixtures {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/data.safetensors")

    nonisolated(unsafe) private static var cache: SafeTensors.File?

    static func file() throws -> SafeTensors.File {
        if let cache { return cache }
        let file = try SafeTensors.read(url)
        cache = file
        return file
    }

    static func tensor(_ name: String) throws -> Tensor {
        guard let t = try file()[name] else {
            throw GeneratorError("fixture \(name) is missing from data.safetensors — run python3 Fixtures/make_data_fixtures.py")
        }
        return t
    }

    /// A U8 H×W fixture as a `ByteImage`.
    static func byteImage(_ name: String) throws -> ByteImage {
        let t = try tensor(name)
        return try ByteImage(width: t.shape[1], height: t.shape[0], pixels: t.scalars.map { UInt8($0) })
    }

    /// Names with the given prefix and suffix, e.g. cases("eq.", ".in") → ["odd_37x53", …].
    static func cases(_ prefix: String, _ suffix: String) throws -> [String] {
        try file().names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }
            .map { String($0.dropFirst(prefix.count).dropLast(suffix.count)) }.sorted()
    }
}
