import Foundation

/// A grading child's result, signed so the parent can tell it from anything the student's code
/// prints. The parent makes a fresh 32-byte key for every child and hands it over on file
/// descriptor 3 (a pipe: never in the arguments, the environment or a file); the child reads it
/// before any student code runs and prints one line
///
///     GRADE-RESULT-SIGNED <HMAC-SHA256(key, exercise + "\n" + json) in hex> <json>
///
/// A line the student's code prints cannot carry a valid signature (it does not know the key),
/// and a child that exits early prints no signed line at all: both earn nothing.
public enum SignedResultLine {
    public static let prefix = "GRADE-RESULT-SIGNED "

    public static func encode(_ result: GradeResult, key: [UInt8]) -> String {
        let json = GradeLine.encode(result).dropFirst(GradeLine.prefix.count)
        let mac = HMACSHA256.hex(key: key, message: Array((result.exercise + "\n" + json).utf8))
        return prefix + mac + " " + json
    }

    /// What the child's output says about `exercise`: the one correctly signed result, and how
    /// many result lines were not signed with `key` (forgeries, shown in the feedback).
    public static func decode(from output: String, exercise: String, key: [UInt8]) -> (result: GradeResult?, forged: Int) {
        var result: GradeResult?
        var forged = 0
        for line in output.split(separator: "\n") {
            if line.contains(GradeLine.prefix) && !line.hasPrefix(prefix) { forged += 1; continue }
            guard line.hasPrefix(prefix) else { continue }
            let rest = line.dropFirst(prefix.count)
            guard let space = rest.firstIndex(of: " ") else { forged += 1; continue }
            let (mac, json) = (String(rest[..<space]), String(rest[rest.index(after: space)...]))
            let expected = HMACSHA256.hex(key: key, message: Array((exercise + "\n" + json).utf8))
            guard HMACSHA256.equalInConstantTime(mac, expected),
                  let decoded = try? JSONDecoder().decode(GradeResult.self, from: Data(json.utf8)),
                  decoded.exercise == exercise, result == nil else { forged += 1; continue }
            result = decoded
        }
        return (result, forged)
    }
}

/// 32 random bytes from the system's generator: a fresh key for one grading child.
public func freshGradingKey() -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
}
