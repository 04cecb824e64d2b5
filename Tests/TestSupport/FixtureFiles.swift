import Foundation
import UNetKit

/// One fixture file of `Tests/Fixtures/`, read once through `testFixtures`:
///
///     try OpsFixtures.tensor("conv.x")              // ops.safetensors,      Fixtures/make_fixtures.py
///     try ModelFixtures.stateDict("unet.small.init.")   // models.safetensors, make_model_fixtures.py
///     try LayerFixtures.tensor("dilated.0.y")       // layers.safetensors,   make_layer_fixtures.py
///     try TrainingFixtures.scalar("adam.lr")        // training.safetensors, make_training_fixtures.py
///     try DataFixtures.tensor("eq.odd_37x53.in")    // data.safetensors,     make_data_fixtures.py
///     try NetworkFixtures.tensor("dacrse.x")        // networks.safetensors, make_network_fixtures.py
public protocol FixtureFile {
    /// The file's name without `.safetensors`.
    static var name: String { get }
}

extension FixtureFile {
    public static func file() throws -> SafeTensors.File { try testFixtures.file(name) }

    /// The fixture tensor `name`; fails with a hint to re-run the scripts when it is missing.
    public static func tensor(_ tensorName: String) throws -> Tensor { try testFixtures.tensor(tensorName, in: name) }

    /// Every tensor whose name starts with `prefix`, with the prefix removed.
    public static func stateDict(_ prefix: String) throws -> [String: Tensor] { try testFixtures.stateDict(prefix, in: name) }

    /// A scalar fixture as Double.
    public static func scalar(_ tensorName: String) throws -> Double { Double(try tensor(tensorName).scalars[0]) }

    /// Comma-separated Double values stored in the file's metadata (exact Python reprs).
    public static func doubles(_ key: String) throws -> [Double] {
        guard let text = try file().metadata[key] else {
            throw SafeTensorsError("fixture metadata \(key) is missing from \(name).safetensors — run `make fixtures`")
        }
        return try text.split(separator: ",").map {
            guard let v = Double($0) else { throw SafeTensorsError("fixture metadata \(key): \($0) is not a number") }
            return v
        }
    }

    /// Tensor names with the given prefix and suffix, the middles sorted: cases("eq.", ".in") → ["odd_37x53", …].
    public static func cases(_ prefix: String, _ suffix: String) throws -> [String] {
        try file().names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }
            .map { String($0.dropFirst(prefix.count).dropLast(suffix.count)) }.sorted()
    }
}

public enum OpsFixtures: FixtureFile { public static let name = "ops" }
public enum ModelFixtures: FixtureFile { public static let name = "models" }
public enum LayerFixtures: FixtureFile { public static let name = "layers" }
public enum TrainingFixtures: FixtureFile { public static let name = "training" }
public enum DataFixtures: FixtureFile { public static let name = "data" }
public enum NetworkFixtures: FixtureFile { public static let name = "networks" }
