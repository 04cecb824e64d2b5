/// An error that means "the reader has not written this exercise yet": a cell that meets one
/// skips the part that needs it and says which file and function to write, instead of failing.
/// The labs' stubs throw a type that conforms (`ExerciseNotImplemented` in LabExercises).
public protocol ExerciseStub: Error {
    /// e.g. "Question 6: UNet_shallow".
    var exercise: String { get }
    /// The file the reader writes, e.g. "Labs/UNetShallow.swift".
    var file: String { get }
    /// The function or type to write there.
    var function: String { get }
}

/// A later cell needs something an earlier one did not produce (e.g. the trained UNet).
public struct MissingResult: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The notebook's own files could not be read or written: the answers file, report.html.
public struct NotebookFileError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
