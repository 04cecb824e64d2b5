import Foundation

/// A folder of safetensors files, each read once on first use: the PyTorch fixtures of the tests
/// and of the graders.
///
///     let fixtures = SafeTensorsFolder(URL(fileURLWithPath: "Tests/Fixtures"))
///     let x = try fixtures.tensor("conv.x", in: "ops")          // Tests/Fixtures/ops.safetensors
///
/// A missing file or tensor throws `SafeTensorsError` naming it and the script that makes it
/// (`remedy`). Safe to share between threads.
public final class SafeTensorsFolder: @unchecked Sendable {
    public let directory: URL
    /// What to tell the user when a file or tensor is missing, e.g. "run `make fixtures`".
    public let remedy: String
    private var cache: [String: SafeTensors.File] = [:]
    private let lock = NSLock()

    public init(_ directory: URL, remedy: String = "run `make fixtures`") {
        self.directory = directory
        self.remedy = remedy
    }

    /// The whole file `name.safetensors`.
    public func file(_ name: String) throws -> SafeTensors.File {
        lock.lock()
        defer { lock.unlock() }
        if let file = cache[name] { return file }
        let url = directory.appendingPathComponent(name + ".safetensors")
        do {
            let file = try SafeTensors.read(url)
            cache[name] = file
            return file
        } catch {
            throw SafeTensorsError("cannot read the fixtures \(url.path): \(error) — \(remedy)")
        }
    }

    /// Tensor `name` of file `file`.
    public func tensor(_ name: String, in file: String) throws -> Tensor {
        guard let tensor = try self.file(file)[name] else {
            throw SafeTensorsError("fixture \(name) is missing from \(file).safetensors — \(remedy)")
        }
        return tensor
    }

    /// Every tensor of `file` whose name starts with `prefix`, keyed by the rest of the name.
    public func stateDict(_ prefix: String, in file: String) throws -> [String: Tensor] {
        Dictionary(try self.file(file).entries.filter { $0.name.hasPrefix(prefix) }
            .map { (String($0.name.dropFirst(prefix.count)), $0.entry.tensor) }, uniquingKeysWith: { first, _ in first })
    }
}
