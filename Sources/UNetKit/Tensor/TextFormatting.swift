/// Formatting for printed tables (the model summary, benchmarks, the labs' output).

extension Int {
    /// 13394242 → "13,394,242".
    public var formattedWithCommas: String {
        let digits = String(abs(self))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return self < 0 ? "-" + out : out
    }
}

extension String {
    /// Right-aligned in a field of `width` characters (never cut).
    public func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }

    /// Left-aligned in a column of `width` characters, with at least one space after it (never cut).
    public func column(_ width: Int) -> String { padding(toLength: max(width, count + 1), withPad: " ", startingAt: 0) }
}

/// A shape as NumPy prints it: `[2, 128, 128, 1]` → "(2, 128, 128, 1)", `[3]` → "(3,)".
public func pythonShape(_ shape: [Int]) -> String {
    "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
}
