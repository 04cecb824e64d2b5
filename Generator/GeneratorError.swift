import Foundation

/// The error the shape generator throws for parameters it cannot use.
///
/// The message says what was expected and what was given, e.g.
/// "GrayScaleDataProvider: nx (image width) must be at least 16 pixels, but got 8".
public struct GeneratorError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
