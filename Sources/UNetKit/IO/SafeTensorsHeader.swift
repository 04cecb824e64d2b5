/// The JSON header of a safetensors file, parsed strictly: the format's grammar and nothing
/// more, with every limit checked before anything is allocated.
///
/// Why not `JSONSerialization`: it keeps the last of two equal keys (the format forbids
/// duplicates), turns large integers into doubles without saying so, and recurses as deep as
/// the input nests. This parser
/// - accepts one JSON object whose values are objects (`{"dtype": …, "shape": […], "data_offsets": [b, e]}`)
///   and an optional `"__metadata__"` object of string values;
/// - rejects a key that appears twice in any object;
/// - reads integers exactly (no fraction, no exponent, no overflow: `Int` range);
/// - nests at most `maximumDepth` levels.
/// Errors say what was expected and where (byte offset in the header).
struct SafeTensorsHeader {
    /// One tensor's entry, in header order.
    struct TensorInfo {
        var name: String
        var dtype: String
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    var tensors: [TensorInfo] = []
    var metadata: [String: String] = [:]

    static let maximumDepth = 8

    enum Value {
        case string(String)
        case integer(Int)
        case otherNumber
        case bool(Bool)
        case null
        case array([Value])
        case object([(String, Value)])

        var kind: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .otherNumber: "a non-integer number"
            case .bool: "a boolean"
            case .null: "null"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    /// Parses `bytes` (the header's bytes, trailing spaces allowed).
    init(_ bytes: ArraySlice<UInt8>) throws(SafeTensorsError) {
        var parser = Parser(bytes: bytes)
        let value = try parser.parseDocument()
        guard case let .object(members) = value else {
            throw SafeTensorsError("the header is \(value.kind), expected a JSON object")
        }
        for (name, member) in members {
            if name == "__metadata__" {
                guard case let .object(pairs) = member else {
                    throw SafeTensorsError("__metadata__ is \(member.kind), expected an object of strings")
                }
                for (key, v) in pairs {
                    guard case let .string(text) = v else {
                        throw SafeTensorsError("__metadata__[\"\(key)\"] is \(v.kind), expected a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            guard case let .object(fields) = member else {
                throw SafeTensorsError("tensor \(name) is \(member.kind), expected an object with dtype, shape, data_offsets")
            }
            var dtype: String?, shape: [Int]?, offsets: [Int]?
            for (key, v) in fields {
                switch key {
                case "dtype":
                    guard case let .string(s) = v else { throw SafeTensorsError("tensor \(name): dtype is \(v.kind), expected a string") }
                    dtype = s
                case "shape":
                    shape = try Self.integers(v, what: "tensor \(name): shape")
                case "data_offsets":
                    offsets = try Self.integers(v, what: "tensor \(name): data_offsets")
                default:
                    throw SafeTensorsError("tensor \(name) has an unknown field \"\(key)\"; expected dtype, shape, data_offsets")
                }
            }
            guard let dtype, let shape, let offsets else {
                throw SafeTensorsError("tensor \(name) lacks "
                                       + [dtype == nil ? "dtype" : nil, shape == nil ? "shape" : nil,
                                          offsets == nil ? "data_offsets" : nil].compactMap { $0 }.joined(separator: ", "))
            }
            guard offsets.count == 2 else {
                throw SafeTensorsError("tensor \(name): data_offsets has \(offsets.count) numbers, expected 2 ([begin, end])")
            }
            tensors.append(TensorInfo(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1]))
        }
    }

    static func integers(_ v: Value, what: String) throws(SafeTensorsError) -> [Int] {
        guard case let .array(items) = v else { throw SafeTensorsError("\(what) is \(v.kind), expected an array of integers") }
        var out: [Int] = []
        for item in items {
            guard case let .integer(n) = item else {
                throw SafeTensorsError("\(what) holds \(item.kind), expected integers in the 64-bit range")
            }
            out.append(n)
        }
        return out
    }

    /// A recursive-descent JSON parser over the header's bytes.
    struct Parser {
        let bytes: ArraySlice<UInt8>
        var i: Int

        init(bytes: ArraySlice<UInt8>) { self.bytes = bytes; i = bytes.startIndex }

        func error(_ what: String) -> SafeTensorsError {
            SafeTensorsError("the header is not valid JSON at byte \(8 + i - bytes.startIndex): \(what)")
        }

        mutating func skipSpace() {
            while i < bytes.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        }

        mutating func parseDocument() throws(SafeTensorsError) -> Value {
            skipSpace()
            let v = try parseValue(depth: 0)
            skipSpace()
            guard i == bytes.endIndex else { throw error("unexpected bytes after the header's object") }
            return v
        }

        mutating func parseValue(depth: Int) throws(SafeTensorsError) -> Value {
            guard depth < SafeTensorsHeader.maximumDepth else {
                throw error("nested more than \(SafeTensorsHeader.maximumDepth) levels deep")
            }
            guard i < bytes.endIndex else { throw error("the header ends where a value was expected") }
            switch bytes[i] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[i])))'")
            }
        }

        mutating func literal(_ word: String) throws(SafeTensorsError) {
            for c in word.utf8 {
                guard i < bytes.endIndex, bytes[i] == c else { throw error("expected \(word)") }
                i += 1
            }
        }

        mutating func parseObject(depth: Int) throws(SafeTensorsError) -> Value {
            i += 1
            var members: [(String, Value)] = []
            var seen = Set<String>()
            skipSpace()
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.endIndex, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key in quotes") }
                let key = try parseString()
                guard seen.insert(key).inserted else {
                    throw SafeTensorsError("the header has the key \"\(key)\" twice; keys must be unique")
                }
                skipSpace()
                guard i < bytes.endIndex, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
                i += 1
                skipSpace()
                members.append((key, try parseValue(depth: depth + 1)))
                skipSpace()
                guard i < bytes.endIndex else { throw error("the header ends inside an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw error("expected ',' or '}' in an object")
            }
        }

        mutating func parseArray(depth: Int) throws(SafeTensorsError) -> Value {
            i += 1
            var items: [Value] = []
            skipSpace()
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard i < bytes.endIndex else { throw error("the header ends inside an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw error("expected ',' or ']' in an array")
            }
        }

        mutating func parseNumber() throws(SafeTensorsError) -> Value {
            let start = i
            var negative = false
            if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            var value = 0
            var digits = 0
            var overflow = false
            while i < bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
                let d = Int(bytes[i] - UInt8(ascii: "0"))
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
                if o1 || o2 { overflow = true } else { value = s }
                digits += 1
                i += 1
            }
            guard digits > 0 else { throw error("expected digits in a number") }
            var integer = true
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
                integer = false
                i += 1
                let fractionStart = i
                while i < bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
                guard i > fractionStart else { throw error("expected digits after '.'") }
            }
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                integer = false
                i += 1
                if i < bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                let exponentStart = i
                while i < bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
                guard i > exponentStart else { throw error("expected digits in an exponent") }
            }
            if integer && overflow {
                let text = String(decoding: bytes[start..<i].prefix(40), as: UTF8.self)
                throw SafeTensorsError("the header holds the integer \(text), outside the 64-bit range")
            }
            return integer ? .integer(value) : .otherNumber
        }

        mutating func parseString() throws(SafeTensorsError) -> String {
            i += 1
            var run = i   // start of the current run of plain bytes
            var out = ""
            func flush(_ end: Int) throws(SafeTensorsError) {
                guard let text = String(validating: bytes[run..<end], as: UTF8.self) else {
                    throw error("a string is not valid UTF-8")
                }
                out += text
            }
            while true {
                guard i < bytes.endIndex else { throw error("the header ends inside a string") }
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    try flush(i)
                    i += 1
                    return out
                }
                if c < 0x20 { throw error("a control character inside a string") }
                if c != UInt8(ascii: "\\") { i += 1; continue }
                try flush(i)
                i += 1
                guard i < bytes.endIndex else { throw error("the header ends inside an escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out += "\""
                case UInt8(ascii: "\\"): out += "\\"
                case UInt8(ascii: "/"): out += "/"
                case UInt8(ascii: "b"): out += "\u{8}"
                case UInt8(ascii: "f"): out += "\u{C}"
                case UInt8(ascii: "n"): out += "\n"
                case UInt8(ascii: "r"): out += "\r"
                case UInt8(ascii: "t"): out += "\t"
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard i + 1 < bytes.endIndex, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw error("a lone UTF-16 surrogate in a string")
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("a lone UTF-16 surrogate in a string") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("an invalid \\u escape") }
                    out.unicodeScalars.append(scalar)
                default: throw error("an unknown escape '\\\(Character(Unicode.Scalar(e)))'")
                }
                run = i
            }
        }

        mutating func hex4() throws(SafeTensorsError) -> UInt32 {
            var code: UInt32 = 0
            for _ in 0..<4 {
                guard i < bytes.endIndex, let d = Character(Unicode.Scalar(bytes[i])).hexDigitValue else {
                    throw error("expected four hex digits after \\u")
                }
                code = code * 16 + UInt32(d)
                i += 1
            }
            return code
        }
    }
}
