import Foundation
import UNetKit

/// The PyTorch fixtures the graders compare with, from `Tests/Fixtures/` in the source tree
/// (or the folder in `$UNETLAB_FIXTURES`):
///
/// - `exercises.safetensors` — `Fixtures/make_exercise_fixtures.py`: Jaccard, deconv2d, up_add;
/// - `models.safetensors` — `Fixtures/make_model_fixtures.py`: `shallow.full.*` for UNet_shallow.
public enum GradingFixtures {
    nonisolated(unsafe) private static var cache: [String: SafeTensors.File] = [:]

    public static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["UNETLAB_FIXTURES"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures")
    }

    /// The whole fixture file `name` ("exercises" or "models"), read once.
    public static func file(_ name: String) throws -> SafeTensors.File {
        if let f = cache[name] { return f }
        let url = directory.appendingPathComponent(name + ".safetensors")
        do {
            let f = try SafeTensors.read(url)
            cache[name] = f
            return f
        } catch {
            throw CheckFailure("cannot read the grader's fixtures \(url.path): \(error) — run `make fixtures`")
        }
    }

    /// Tensor `name` of `file` ("exercises" or "models").
    public static func tensor(_ name: String, file fileName: String = "exercises") throws -> Tensor {
        guard let t = try file(fileName)[name] else {
            throw CheckFailure("fixture \(name) is missing from \(fileName).safetensors — run `make fixtures`")
        }
        return t
    }

    /// Every tensor of `file` whose name starts with `prefix`, with the prefix removed.
    public static func stateDict(_ prefix: String, file fileName: String = "exercises") throws -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: try file(fileName).entries.filter { $0.name.hasPrefix(prefix) }
            .map { (String($0.name.dropFirst(prefix.count)), $0.entry.tensor) })
    }
}
