/// Printing tensors the way NumPy prints arrays, so the lab's output reads like the
/// course's notebook: `[[[ 2.  0.  2.  4.  0.] …]]]`.
extension Tensor: CustomStringConvertible {
    public var description: String { numpyString() }

    /// NumPy-style nested brackets; whole numbers print as `2.`, others with `precision` decimals.
    public func numpyString(precision: Int = 4) -> String {
        guard rank > 0 else { return format(scalars.first ?? 0, precision: precision) }
        let allWhole = scalars.allSatisfy { $0 == $0.rounded() && abs($0) < 1e7 }
        let cells = scalars.map { allWhole ? String(Int($0)) + "." : format($0, precision: precision) }
        let width = cells.map(\.count).max() ?? 0
        let padded = cells.map { String(repeating: " ", count: width - $0.count) + $0 }
        var out = ""
        func emit(axis: Int, offset: Int, indent: Int) {
            out += "["
            let stride = shape[(axis + 1)...].reduce(1, *)
            for i in 0..<shape[axis] {
                if axis == rank - 1 {
                    out += (i > 0 ? " " : "") + padded[offset + i]
                } else {
                    if i > 0 { out += String(repeating: "\n", count: rank - axis - 1) + String(repeating: " ", count: indent + 1) }
                    emit(axis: axis + 1, offset: offset + i * stride, indent: indent + 1)
                }
            }
            out += "]"
        }
        emit(axis: 0, offset: 0, indent: 0)
        return out
    }

    private func format(_ v: Float, precision: Int) -> String {
        let scale = Float(pow10(precision))
        let rounded = (v * scale).rounded() / scale
        var s = "\(rounded)"
        if let dot = s.firstIndex(of: "."), s.distance(from: dot, to: s.endIndex) - 1 < precision, !s.contains("e") {
            s += String(repeating: "0", count: precision - (s.distance(from: dot, to: s.endIndex) - 1))
        }
        return s
    }

    private func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { acc, _ in acc * 10 } }
}
