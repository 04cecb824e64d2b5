import Foundation

/// The error figure code throws: bad input (sizes, counts) or a failed read/write, with
/// libpng's or the operating system's message.
public struct FigureError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
