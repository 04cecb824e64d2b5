import Foundation

/// A setting or option outside the range it can take: a batch size of 0, an image size a
/// network cannot halve, a learning rate that is not finite. The message names the setting,
/// what it must be, and what was given.
public struct ConfigurationError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// Training stopped because the loss stopped being a finite number (NaN or ±∞).
public struct TrainingDiverged: Error, CustomStringConvertible, LocalizedError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// A module used in a way its definition does not allow: no `forward` for that many inputs,
/// a buffer it does not have.
public struct ModuleError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
