import Foundation

/// A module's weights as PyTorch's `state_dict`: every parameter and buffer under its dotted
/// name (`inc.conv.conv.0.weight`, `inc.conv.conv.1.running_mean`, …), saved as safetensors
/// so the same file loads into the course's PyTorch network with `load_state_dict(strict=True)`.
extension Module {
    /// Parameters and buffers with their PyTorch names.
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        namedParameters().map { ($0.0, $0.1.value) } + namedBuffers().map { ($0.0, $0.1) }
    }

    /// Loads `entries` into this module. Like PyTorch with `strict=True`, every key must be
    /// present, none extra, and every shape must match; otherwise nothing is changed and the
    /// error lists the problems: missing keys, unexpected keys, size mismatches.
    ///
    /// Non-finite values (NaN, ±infinity) are refused, naming the tensors: such a network
    /// predicts NaN everywhere, which thresholds to "background" without a word, so loading it
    /// with only a warning would hand the user silently wrong figures and scores. A file like
    /// that comes from a diverged training or a damaged copy; PyTorch loads it, this kit says so.
    public func loadStateDict(_ entries: [String: Tensor], modelName: String? = nil) throws {
        let parameters = Dictionary(uniqueKeysWithValues: namedParameters())
        var buffers: [String: (Module, String)] = [:]
        for (prefix, module) in namedModules() {
            for (name, _) in module.namedLocalBuffers { buffers[prefix.isEmpty ? name : prefix + "." + name] = (module, name) }
        }
        let current = Dictionary(uniqueKeysWithValues: stateDict().map { ($0.name, $0.tensor.shape) })
        let missing = current.keys.filter { entries[$0] == nil }.sorted()
        let unexpected = entries.keys.filter { current[$0] == nil }.sorted()
        let mismatched = entries.compactMap { key, t -> String? in
            guard let shape = current[key], shape != t.shape else { return nil }
            return "size mismatch for \(key): copying a param with shape \(shapeString(t.shape)) from checkpoint, "
                + "the shape in current model is \(shapeString(shape))."
        }.sorted()
        guard missing.isEmpty && unexpected.isEmpty && mismatched.isEmpty else {
            var lines = ["Error(s) in loading state_dict for \(modelName ?? String(describing: type(of: self))):"]
            if !missing.isEmpty { lines.append("Missing key(s) in state_dict: " + quoted(missing)) }
            if !unexpected.isEmpty { lines.append("Unexpected key(s) in state_dict: " + quoted(unexpected)) }
            lines += mismatched
            throw StateDictError(message: lines.joined(separator: "\n\t"))
        }
        let nonFinite = entries.filter { !$0.value.scalars.allSatisfy(\.isFinite) }.map(\.key).sorted()
        guard nonFinite.isEmpty else {
            throw StateDictError(message: "the weights of \(modelName ?? String(describing: type(of: self))) hold NaN or "
                                 + "infinite values (in \(nonFinite.prefix(3).joined(separator: ", "))"
                                 + (nonFinite.count > 3 ? " and \(nonFinite.count - 3) more" : "")
                                 + "): expected finite numbers; the file comes from a training that diverged or is damaged")
        }
        for (key, tensor) in entries {
            if let p = parameters[key] { p.value = tensor } else if let (module, name) = buffers[key] {
                try module.setLocalBuffer(name, to: tensor)
            }
        }
    }

    /// Writes the state_dict to a safetensors file, completely or not at all. `num_batches_tracked`
    /// is stored as int64, as PyTorch keeps it.
    public func saveWeights(to url: URL, metadata: [String: String] = [:]) throws {
        let entries = stateDict().map { (name: $0.name,
                                          entry: SafeTensors.Entry($0.tensor, dtype: $0.name.hasSuffix("num_batches_tracked") ? "I64" : "F32")) }
        try SafeTensors.write(entries, metadata: metadata, to: url)
    }

    /// Loads a safetensors state_dict (strict, as `loadStateDict`); returns the file's metadata.
    @discardableResult
    public func loadWeights(from url: URL, modelName: String? = nil) throws -> [String: String] {
        let file = try SafeTensors.read(url)
        do {
            try loadStateDict(Dictionary(file.entries.map { ($0.name, $0.entry.tensor) }, uniquingKeysWith: { a, _ in a }),
                              modelName: modelName)
        } catch let error as StateDictError {
            throw StateDictError(message: "\(url.path): \(error.message)")
        }
        return file.metadata
    }
}

private func quoted(_ keys: [String]) -> String {
    let shown = keys.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
    return keys.count > 8 ? shown + ", … (\(keys.count) in all)" : shown
}

/// Weights that do not fit the network; the message reads like PyTorch's.
public struct StateDictError: Error, CustomStringConvertible, LocalizedError {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
