import Foundation

/// Where the lab prints as it runs: standard output for the command line (with a progress bar
/// during training when it is a terminal), or nowhere for tests.
public struct NotebookConsole: Sendable {
    /// Writes one line (no trailing newline needed).
    public var line: @Sendable (String) -> Void
    /// Whether a progress bar may be drawn in place (a terminal).
    public var isTerminal: Bool

    public init(isTerminal: Bool, line: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.line = line
    }

    /// Standard output, flushed after every line.
    public static var standardOutput: NotebookConsole {
        NotebookConsole(isTerminal: isatty(STDOUT_FILENO) == 1) { text in
            print(text)
            fflush(nil)    // every output stream: standard output without naming the C global
        }
    }

    /// Prints nothing.
    public static let silent = NotebookConsole(isTerminal: false) { _ in }
}

/// Console text of narrative: markup removed, wrapped at `width` columns.
func wrapped(_ paragraph: String, width: Int = 92, indent: String = "") -> String {
    let plain = paragraph.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
    var lines: [String] = [], current = ""
    for word in plain.split(separator: " ", omittingEmptySubsequences: true) {
        if !current.isEmpty && current.count + 1 + word.count > width - indent.count {
            lines.append(indent + current)
            current = ""
        }
        current += (current.isEmpty ? "" : " ") + word
    }
    if !current.isEmpty { lines.append(indent + current) }
    return lines.joined(separator: "\n")
}
