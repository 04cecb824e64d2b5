import Foundation

/// Reading and writing the safetensors format (the format of Hugging Face's `safetensors`
/// package, which `torch` users load with `safetensors.torch.load_file`).
///
/// Layout: an 8-byte little-endian header length n, n bytes of JSON
/// `{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, "__metadata__": {…}}`,
/// then the raw little-endian tensor bytes (offsets relative to the end of the header).
/// UNetKit tensors are float32; F64, I64, I32, U8 and BOOL are converted to float32 on reading.
public enum SafeTensors {
    /// One stored tensor and the dtype it had in (or will have in) the file.
    public struct Entry {
        public var tensor: Tensor
        public var dtype: String
        public init(_ tensor: Tensor, dtype: String = "F32") { self.tensor = tensor; self.dtype = dtype }
    }

    /// Everything in one file, in file order.
    public struct File {
        public var entries: [(name: String, entry: Entry)]
        public var metadata: [String: String]
        public subscript(name: String) -> Tensor? { entries.first { $0.name == name }?.entry.tensor }
        public var names: [String] { entries.map(\.name) }
    }

    /// Reads a safetensors file. Throws `SafeTensorsError` naming the file and what is wrong.
    public static func read(_ url: URL) throws -> File {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw SafeTensorsError("cannot read \(url.path): no such file")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SafeTensorsError("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try decode(data, source: url.path)
    }

    /// Decodes safetensors bytes; `source` names them in error messages.
    public static func decode(_ data: Data, source: String = "data") throws -> File {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else {
            throw SafeTensorsError("\(source) is not a safetensors file: \(bytes.count) bytes, expected at least 8")
        }
        let headerLength = (0..<8).reduce(0) { $0 | (Int(bytes[$1]) << (8 * $1)) }
        guard headerLength > 0, 8 + headerLength <= bytes.count else {
            throw SafeTensorsError("\(source) is not a safetensors file: header length \(headerLength) "
                                   + "does not fit in \(bytes.count) bytes")
        }
        let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)]))
        guard let header = json as? [String: Any] else {
            throw SafeTensorsError("\(source): the safetensors header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        var entries: [(String, Entry, Int)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int],
                  offsets.count == 2 else {
                throw SafeTensorsError("\(source): tensor \(name) has no valid dtype/shape/data_offsets")
            }
            guard let size = byteSize[dtype] else {
                throw SafeTensorsError("\(source): tensor \(name) has dtype \(dtype); supported: "
                                       + byteSize.keys.sorted().joined(separator: ", "))
            }
            let count = shape.reduce(1, *)
            let (begin, end) = (dataStart + offsets[0], dataStart + offsets[1])
            guard offsets[1] - offsets[0] == count * size, begin >= dataStart, end <= bytes.count else {
                throw SafeTensorsError("\(source): tensor \(name) of shape \(shapeString(shape)) and dtype \(dtype) "
                                       + "needs \(count * size) bytes, but its offsets are \(offsets) in a file "
                                       + "of \(bytes.count - dataStart) data bytes")
            }
            let scalars = bytes.withUnsafeBytes { raw in
                (0..<count).map { i in convert(raw, at: begin + i * size, dtype: dtype) }
            }
            entries.append((name, Entry(try Tensor(shape: shape, scalars: scalars), dtype: dtype), offsets[0]))
        }
        entries.sort { $0.2 < $1.2 }
        let metadata = (header["__metadata__"] as? [String: String]) ?? [:]
        return File(entries: entries.map { ($0.0, $0.1) }, metadata: metadata)
    }

    /// Writes tensors to `url` completely or not at all (a temporary file renamed into place).
    public static func write(_ entries: [(name: String, entry: Entry)], metadata: [String: String] = [:],
                             to url: URL) throws {
        let data = try encode(entries, metadata: metadata)
        do { try data.write(to: url, options: .atomic) } catch {
            throw SafeTensorsError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Encodes tensors as safetensors bytes (F32, or I64 for entries that say so).
    public static func encode(_ entries: [(name: String, entry: Entry)], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var body = Data()
        for (name, entry) in entries {
            guard entry.dtype == "F32" || entry.dtype == "I64" else {
                throw SafeTensorsError("cannot write tensor \(name) as \(entry.dtype): only F32 and I64 are written")
            }
            let begin = body.count
            if entry.dtype == "F32" {
                // Float's in-memory layout is IEEE 754 little-endian on every platform Swift runs on here.
                entry.tensor.scalars.withUnsafeBytes { body.append(contentsOf: $0) }
            } else {
                for v in entry.tensor.scalars { withUnsafeBytes(of: Int64(v).littleEndian) { body.append(contentsOf: $0) } }
            }
            header[name] = ["dtype": entry.dtype, "shape": entry.tensor.shape, "data_offsets": [begin, body.count]]
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }   // pad with spaces to 8-byte alignment
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(body)
        return out
    }

    private static let byteSize = ["F32": 4, "F64": 8, "I64": 8, "I32": 4, "U8": 1, "BOOL": 1]

    private static func convert(_ raw: UnsafeRawBufferPointer, at offset: Int, dtype: String) -> Float {
        switch dtype {
        case "F32": return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        case "F64": return Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
        case "I64": return Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        case "I32": return Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        default: return Float(raw[offset])
        }
    }
}

/// A safetensors file that cannot be read or written; the message says which file and why.
public struct SafeTensorsError: Error, CustomStringConvertible, LocalizedError {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
