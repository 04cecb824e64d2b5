import Foundation

/// The error every UNetKit operation throws when its inputs do not fit together.
///
/// The message names what was expected and what was given, like PyTorch's
/// "expected input[4, 512, 32, 32] to have 768 channels, but got 512 channels instead".
public struct ShapeError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}

/// Throws a `ShapeError` unless `tensor` has `rank` axes. `name` says which argument it is.
public func requireRank(_ tensor: Tensor, _ rank: Int, _ name: String, _ layout: String) throws {
    guard tensor.rank == rank else {
        throw ShapeError("expected \(name) to be a \(rank)-D tensor (\(layout)), "
                         + "but got a \(tensor.rank)-D tensor of shape \(shapeString(tensor.shape))")
    }
}
