import Foundation

/// What the optimisers (`SGD`, `Adam`, `AdamW`) share: the parameters they update, a learning
/// rate a schedule can change, and their state for a checkpoint.
///
/// The state follows PyTorch's `optimizer.state_dict()`: per parameter k (in the order of
/// `parameters`) tensors named `state.k.<buffer>` (`momentum_buffer`; `step`, `exp_avg`,
/// `exp_avg_sq`), plus the hyper-parameters as strings. Saved with `TrainingCheckpoint`, it
/// lets a run stop and resume with bit-identical results.
public protocol Optimizer: AnyObject {
    /// The parameters updated by `step()`, in a fixed order (the state is keyed by position).
    var parameters: [Variable] { get }
    /// The step size; learning-rate schedules set it once per epoch.
    var learningRate: Float { get set }
    /// Updates every parameter that has a gradient.
    func step()
    /// The per-parameter buffers (`state.k.name`) and the hyper-parameters (`lr`, …, and
    /// `optimizer`, the type's name).
    func optimizerState() -> (tensors: [(name: String, entry: SafeTensors.Entry)], settings: [String: String])
    /// Restores what `optimizerState()` returned. Throws, changing nothing, when the state is for
    /// another optimiser type, other hyper-parameters, or parameters of other shapes.
    func loadOptimizerState(tensors: [String: Tensor], settings: [String: String]) throws
}

extension Optimizer {
    /// Clears every parameter's gradient (PyTorch's `optimizer.zero_grad()`).
    public func zeroGrad() { parameters.forEach { $0.zeroGrad() } }
}

/// A checkpoint that does not fit what it is loaded into; the message says what differs.
public struct CheckpointError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// Shared checks for loading optimiser state.
enum OptimizerStateCheck {
    /// Throws unless `settings[key]` is `expected` (hyper-parameters are compared as their text).
    static func require(_ settings: [String: String], _ key: String, _ expected: String) throws {
        guard let found = settings[key] else {
            throw CheckpointError("optimizer state: \(key) is missing (expected \(expected))")
        }
        guard found == expected else {
            throw CheckpointError("optimizer state: saved with \(key) = \(found), but this optimizer has \(key) = \(expected)")
        }
    }

    /// The learning rate stored in `settings`.
    static func learningRate(_ settings: [String: String]) throws -> Float {
        guard let text = settings["lr"], let lr = Float(text) else {
            throw CheckpointError("optimizer state: lr is missing or not a number (\(settings["lr"] ?? "nil"))")
        }
        return lr
    }

    /// `tensors[name]`, which must have `shape`; nil when absent.
    static func buffer(_ tensors: [String: Tensor], _ name: String, shape: [Int]) throws -> Tensor? {
        guard let t = tensors[name] else { return nil }
        guard t.shape == shape else {
            throw CheckpointError("optimizer state: \(name) has shape \(shapeString(t.shape)), but the parameter "
                                  + "has shape \(shapeString(shape))")
        }
        return t
    }

    /// Throws when `tensors` holds state for parameter indices beyond `count`.
    static func requireParameterCount(_ tensors: [String: Tensor], _ count: Int) throws {
        for name in tensors.keys {
            let parts = name.split(separator: ".")
            guard parts.count == 3, parts[0] == "state", let k = Int(parts[1]) else {
                throw CheckpointError("optimizer state: unexpected tensor \(name) (expected state.<index>.<buffer>)")
            }
            guard k >= 0 && k < count else {
                throw CheckpointError("optimizer state: \(name) is for parameter \(k), but this optimizer has "
                                      + "\(count) parameters")
            }
        }
    }
}
