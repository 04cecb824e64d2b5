import Foundation
import UNetKit

/// The tensors and metadata made by `Fixtures/make_training_fixtures.py` (losses, optimisers,
/// schedules, metrics), loaded once.
public enum TrainingFixtures {
    private static let loaded: Result<SafeTensors.File, Error> = Result {
        try SafeTensors.read(fixturesDirectory.appendingPathComponent("training.safetensors"))
    }

    public static func file() throws -> SafeTensors.File { try loaded.get() }

    /// The fixture tensor `name`; fails with a hint to re-run the script when it is missing.
    public static func tensor(_ name: String) throws -> Tensor {
        guard let t = try file()[name] else {
            throw ShapeError("fixture \(name) is missing from training.safetensors — run `make fixtures`")
        }
        return t
    }

    /// A scalar fixture as Double (stored as F64 where precision matters; read through Float).
    public static func scalar(_ name: String) throws -> Double { Double(try tensor(name).scalars[0]) }

    /// Comma-separated Double values stored in the metadata (exact Python reprs).
    public static func doubles(_ key: String) throws -> [Double] {
        guard let text = try file().metadata[key] else {
            throw ShapeError("fixture metadata \(key) is missing from training.safetensors — run `make fixtures`")
        }
        return try text.split(separator: ",").map {
            guard let v = Double($0) else { throw ShapeError("fixture metadata \(key): \($0) is not a number") }
            return v
        }
    }
}
