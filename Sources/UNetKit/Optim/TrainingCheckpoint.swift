import Foundation

/// Everything a training run needs to resume, in one safetensors file:
///
///     model.<name>                     the model's state_dict (parameters and buffers)
///     optimizer.state.<k>.<buffer>     the optimiser's buffers (momentum, Adam's moments; step as I64)
///     early_stopping.best.<name>       the weights kept by early stopping
///     metadata "optimizer.*", "schedule.*", "early_stopping.*"   hyper-parameters and counters as text
///
/// Floats are stored with all their bits (F32 tensors; learning rates as round-trip decimal
/// text), so stopping after epoch k, loading the file into freshly made objects and going on
/// gives bit-identical parameters to a run that never stopped — provided the data come in the
/// same order (the batch source's own state is not in the file).
public enum TrainingCheckpoint {
    /// Writes the checkpoint (completely or not at all).
    public static func save(to url: URL, model: Module, optimizer: Optimizer,
                            scheduler: LearningRateScheduler? = nil, earlyStopping: EarlyStopping? = nil,
                            metadata: [String: String] = [:]) throws {
        var entries: [(name: String, entry: SafeTensors.Entry)] = model.stateDict().map {
            (name: "model." + $0.name,
             entry: SafeTensors.Entry($0.tensor, dtype: $0.name.hasSuffix("num_batches_tracked") ? "I64" : "F32"))
        }
        var meta = metadata
        let (optimizerTensors, optimizerSettings) = optimizer.optimizerState()
        entries += optimizerTensors.map { (name: "optimizer." + $0.name, entry: $0.entry) }
        for (k, v) in optimizerSettings { meta["optimizer." + k] = v }
        if let scheduler {
            for (k, v) in scheduler.schedulerState() { meta["schedule." + k] = v }
        }
        if let earlyStopping {
            let (tensors, settings) = earlyStopping.stoppingState()
            entries += tensors.map { (name: "early_stopping." + $0.name, entry: $0.entry) }
            for (k, v) in settings { meta["early_stopping." + k] = v }
        }
        try SafeTensors.write(entries, metadata: meta, to: url)
    }

    /// Loads a checkpoint written by `save` into objects made with the same settings, in the
    /// order model, optimiser, schedule, early stopping. Each part checks the file before it
    /// changes itself — the model strictly (as `loadStateDict`), the optimiser's type,
    /// hyper-parameters and buffer shapes, the schedule's type and settings — and throws naming
    /// the file and the difference; parts before a failing one are already loaded.
    /// Returns the file's metadata.
    @discardableResult
    public static func load(from url: URL, model: Module, optimizer: Optimizer,
                            scheduler: LearningRateScheduler? = nil, earlyStopping: EarlyStopping? = nil) throws -> [String: String] {
        let file = try SafeTensors.read(url)
        func part(_ prefix: String) -> [String: Tensor] {
            Dictionary(file.entries.filter { $0.name.hasPrefix(prefix) }
                .map { (String($0.name.dropFirst(prefix.count)), $0.entry.tensor) }, uniquingKeysWith: { a, _ in a })
        }
        func settings(_ prefix: String) -> [String: String] {
            Dictionary(file.metadata.filter { $0.key.hasPrefix(prefix) }
                .map { (String($0.key.dropFirst(prefix.count)), $0.value) }, uniquingKeysWith: { a, _ in a })
        }
        let scheduleSettings = settings("schedule.")
        if scheduler != nil && scheduleSettings.isEmpty {
            throw CheckpointError("\(url.path): the checkpoint has no learning-rate schedule state")
        }
        let stoppingSettings = settings("early_stopping.")
        if earlyStopping != nil && stoppingSettings.isEmpty {
            throw CheckpointError("\(url.path): the checkpoint has no early-stopping state")
        }
        do {
            try model.loadStateDict(part("model."))
            try optimizer.loadOptimizerState(tensors: part("optimizer."), settings: settings("optimizer."))
            try scheduler?.loadSchedulerState(scheduleSettings)
            try earlyStopping?.loadStoppingState(tensors: part("early_stopping."), settings: stoppingSettings)
        } catch let error as CheckpointError {
            throw CheckpointError("\(url.path): \(error.message)")
        } catch let error as StateDictError {
            throw StateDictError(message: "\(url.path): \(error.message)")
        }
        return file.metadata
    }
}
