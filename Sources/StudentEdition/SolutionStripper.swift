import Foundation

/// Turns an instructor's source file into the student's: nbgrader's idea, for Swift, such that
/// the result still compiles.
///
/// Markers, each on a line of its own (leading spaces are the indentation):
///
///     // BEGIN SOLUTION        starts a solution region: this line, the region and
///     …                        the END line are removed and replaced by one line
///     // END SOLUTION          `// write your code here` at the BEGIN line's indentation
///     // STUB: <code>          outside a region: becomes `<code>` at the same indentation
///                              (one space after the colon is dropped, the rest is kept)
///
/// A stub is what the student's file runs until the student writes the code; for a function it
/// must *throw* `ExerciseNotImplemented(…)` — never trap — so the lab and the graders can carry on:
///
///     public func deconv2d(_ input: Tensor, _ weights: Tensor) throws -> Tensor {
///         // BEGIN SOLUTION
///         …
///         // END SOLUTION
///         // STUB: throw ExerciseNotImplemented(exercise: "Question 7: deconv2d", …)
///     }
///
/// Everything else (doc comments, signatures, provided code) is copied unchanged. A file
/// without markers is copied as it is.
public enum SolutionStripper {
    public static let beginMarker = "// BEGIN SOLUTION"
    public static let endMarker = "// END SOLUTION"
    public static let stubMarker = "// STUB:"
    public static let hint = "// write your code here"

    /// The student's version of `source`; `fileName` only names the file in errors.
    /// Throws `StripError` for a marker out of place (END without BEGIN, nested BEGIN, STUB
    /// inside a region, a region that never ends).
    public static func strip(_ source: String, fileName: String) throws -> String {
        var output: [Substring] = []
        var regionStart: Int?
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let indentation = line.prefix { $0 == " " || $0 == "\t" }
            let content = line.dropFirst(indentation.count)
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            let error = { (message: String) in StripError(file: fileName, line: index + 1, message: message) }
            if trimmed == beginMarker {
                if let start = regionStart { throw error("\(beginMarker) inside the region begun on line \(start)") }
                regionStart = index + 1
                output.append(indentation + hint)
            } else if trimmed == endMarker {
                guard regionStart != nil else { throw error("\(endMarker) without a \(beginMarker) before it") }
                regionStart = nil
            } else if content.hasPrefix(stubMarker) {
                if let start = regionStart {
                    throw error("\(stubMarker) inside the solution region begun on line \(start) (put stubs after \(endMarker))")
                }
                var code = content.dropFirst(stubMarker.count)
                if code.hasPrefix(" ") { code = code.dropFirst() }
                output.append(indentation + code)
            } else if trimmed.hasPrefix("// BEGIN SOLUTION") || trimmed.hasPrefix("// END SOLUTION") {
                throw error("a marker must be alone on its line: expected \"\(beginMarker)\" or \"\(endMarker)\", got \"\(trimmed)\"")
            } else if regionStart == nil {
                output.append(line)
            }
        }
        if let start = regionStart {
            throw StripError(file: fileName, line: start, message: "\(beginMarker) is never closed by \(endMarker)")
        }
        return output.joined(separator: "\n")
    }

    /// Whether `source` has any solution region or stub.
    public static func hasMarkers(_ source: String) -> Bool {
        source.contains(beginMarker) || source.contains(stubMarker)
    }
}

/// A marker out of place in an instructor's file: names the file and the line.
public struct StripError: Error, CustomStringConvertible, LocalizedError {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
    public var errorDescription: String? { description }
}
