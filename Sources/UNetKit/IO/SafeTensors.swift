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

    /// The largest file `read` accepts (2 GiB; the course's UNet with Adam's state is ~160 MB).
    public static let maximumFileBytes = 2 << 30
    /// The largest header (the format's own limit, as in the `safetensors` package): 100 MB.
    public static let maximumHeaderBytes = 100_000_000
    /// The most dimensions a stored tensor may have.
    public static let maximumRank = 8

    /// Reads a safetensors file. Only a regular file is read (a folder, FIFO or device is
    /// refused before anything is read from it), at most `maximumFileBytes`.
    /// - Throws: `SafeTensorsError` naming the file and what is wrong with it.
    public static func read(_ url: URL) throws -> File {
        let bytes: [UInt8]
        do { bytes = try readRegularFile(url.path, limit: maximumFileBytes, what: "a safetensors file") } catch let error as FileReadError {
            throw SafeTensorsError(error.message)
        }
        return try decode(bytes, source: url.path)
    }

    /// Decodes safetensors bytes; `source` names them in error messages.
    public static func decode(_ data: Data, source: String = "data") throws -> File {
        try decode([UInt8](data), source: source)
    }

    /// Decodes safetensors bytes, checking everything before allocating any tensor:
    /// - the header length fits in the file (and in `maximumHeaderBytes`);
    /// - the header is a JSON object without duplicate keys (`SafeTensorsHeader`);
    /// - every dtype is known; every shape has at most `maximumRank` non-negative dimensions
    ///   whose product (times the dtype's size) does not overflow and equals the tensor's bytes;
    /// - every tensor's offsets satisfy 0 ≤ begin ≤ end ≤ the data's length, and the tensors,
    ///   sorted by offset, cover the data exactly: no overlap, no gap, nothing after the last.
    /// Values are not checked here (a NaN is a valid float): `Module.loadStateDict` refuses
    /// non-finite weights.
    public static func decode(_ bytes: [UInt8], source: String = "data") throws -> File {
        func fail(_ what: String) -> SafeTensorsError { SafeTensorsError("\(source) is not a valid safetensors file: \(what)") }
        guard bytes.count >= 8 else {
            throw fail("it has \(bytes.count) bytes, expected at least 8 (the header length)")
        }
        let rawLength = (0..<8).reduce(UInt64(0)) { $0 | (UInt64(bytes[$1]) << (8 * UInt64($1))) }
        guard rawLength >= 2, rawLength <= UInt64(maximumHeaderBytes), rawLength <= UInt64(bytes.count - 8) else {
            throw fail("the header length is \(rawLength) bytes, expected 2…\(min(maximumHeaderBytes, bytes.count - 8)) "
                       + "(the file has \(bytes.count) bytes)")
        }
        let headerLength = Int(rawLength)
        let header: SafeTensorsHeader
        do { header = try SafeTensorsHeader(bytes[8..<(8 + headerLength)]) } catch { throw fail(error.message) }
        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        // Shapes, dtypes and offsets, all before any tensor is made.
        var infos: [(info: SafeTensorsHeader.TensorInfo, count: Int, size: Int)] = []
        for info in header.tensors {
            let name = info.name
            guard let size = byteSize[info.dtype] else {
                throw fail("tensor \(name) has dtype \(info.dtype), expected one of " + byteSize.keys.sorted().joined(separator: ", "))
            }
            guard info.shape.count <= maximumRank else {
                throw fail("tensor \(name) has \(info.shape.count) dimensions, expected at most \(maximumRank)")
            }
            guard info.shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("tensor \(name) has shape \(shapeString(info.shape)), expected dimensions ≥ 0")
            }
            var count = 1, overflow = false
            for d in info.shape {
                let (p, o) = count.multipliedReportingOverflow(by: d)
                if o { overflow = true; break }
                count = p
            }
            let (bytesNeeded, o2) = count.multipliedReportingOverflow(by: size)
            guard !overflow, !o2 else {
                throw fail("tensor \(name) of shape \(shapeString(info.shape)) and dtype \(info.dtype) needs more than "
                           + "\(Int.max) bytes (the shape's product overflows); the file has \(dataLength) data bytes")
            }
            guard bytesNeeded <= dataLength else {
                throw fail("tensor \(name) of shape \(shapeString(info.shape)) and dtype \(info.dtype) needs \(bytesNeeded) "
                           + "bytes, more than the file's \(dataLength) data bytes")
            }
            guard info.begin >= 0, info.begin <= info.end, info.end <= dataLength else {
                throw fail("tensor \(name) has data_offsets [\(info.begin), \(info.end)], expected 0 ≤ begin ≤ end ≤ "
                           + "\(dataLength) (the data's length)")
            }
            guard info.end - info.begin == bytesNeeded else {
                throw fail("tensor \(name) of shape \(shapeString(info.shape)) and dtype \(info.dtype) needs \(bytesNeeded) "
                           + "bytes, but its data_offsets [\(info.begin), \(info.end)] hold \(info.end - info.begin)")
            }
            infos.append((info, count, size))
        }
        infos.sort { ($0.info.begin, $0.info.end) < ($1.info.begin, $1.info.end) }
        var covered = 0
        for (info, _, _) in infos {
            guard info.begin == covered else {
                throw fail(info.begin < covered
                    ? "tensor \(info.name) at data_offsets [\(info.begin), \(info.end)] overlaps the tensor before it (which ends at \(covered))"
                    : "the bytes \(covered)..<\(info.begin) belong to no tensor (expected the tensors to cover the data without gaps)")
            }
            covered = info.end
        }
        guard covered == dataLength else {
            throw fail("the tensors cover \(covered) of the \(dataLength) data bytes (expected all of them)")
        }
        var entries: [(name: String, entry: Entry)] = []
        entries.reserveCapacity(infos.count)
        for (info, count, size) in infos {
            let begin = dataStart + info.begin
            let scalars = bytes.withUnsafeBytes { raw in decode(raw, from: begin, count: count, size: size, dtype: info.dtype) }
            entries.append((info.name, Entry(try Tensor(shape: info.shape, scalars: scalars), dtype: info.dtype)))
        }
        return File(entries: entries, metadata: header.metadata)
    }

    /// Writes tensors to `url` completely or not at all (a temporary file renamed into place).
    public static func write(_ entries: [(name: String, entry: Entry)], metadata: [String: String] = [:],
                             to url: URL) throws {
        let bytes = try encodedBytes(entries, metadata: metadata)
        do { try writeFileAtomically(bytes, to: url.path) } catch let error as FileWriteError {
            throw SafeTensorsError(error.message)
        }
    }

    /// Encodes tensors as safetensors bytes (F32, or I64 for entries that say so).
    public static func encode(_ entries: [(name: String, entry: Entry)], metadata: [String: String] = [:]) throws -> Data {
        Data(try encodedBytes(entries, metadata: metadata))
    }

    /// The file's bytes: the header's length (8 bytes, little-endian), the JSON header padded with
    /// spaces to a multiple of 8, then each tensor's data in `entries`' order. The offsets are
    /// known from the shapes, so the bytes go into one buffer of the exact size, copied once
    /// (53 MB for the course's UNet).
    static func encodedBytes(_ entries: [(name: String, entry: Entry)], metadata: [String: String]) throws -> [UInt8] {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var dataLength = 0
        for (name, entry) in entries {
            guard entry.dtype == "F32" || entry.dtype == "I64" else {
                throw SafeTensorsError("cannot write tensor \(name) as \(entry.dtype): only F32 and I64 are written")
            }
            let length = entry.tensor.scalars.count * (entry.dtype == "F32" ? 4 : 8)
            header[name] = ["dtype": entry.dtype, "shape": entry.tensor.shape, "data_offsets": [dataLength, dataLength + length]]
            dataLength += length
        }
        var json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }   // pad with spaces to 8-byte alignment
        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + dataLength)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        for (_, entry) in entries {
            if entry.dtype == "F32" {
                // Float's in-memory layout is IEEE 754 little-endian on every platform Swift runs on here.
                entry.tensor.scalars.withUnsafeBytes { out.append(contentsOf: $0) }
            } else {
                for v in entry.tensor.scalars { withUnsafeBytes(of: Int64(v).littleEndian) { out.append(contentsOf: $0) } }
            }
        }
        return out
    }

    private static let byteSize = ["F32": 4, "F64": 8, "I64": 8, "I32": 4, "U8": 1, "BOOL": 1]

    /// `count` scalars of `dtype` (`size` bytes each, little-endian) from byte `begin` on, as
    /// Float; the dtype is looked at once, not per scalar.
    private static func decode(_ raw: UnsafeRawBufferPointer, from begin: Int, count: Int, size: Int,
                               dtype: String) -> [Float] {
        func scalars(_ scalar: (Int) -> Float) -> [Float] { (0..<count).map { scalar(begin + $0 * size) } }
        switch dtype {
        case "F32": return scalars { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0, as: UInt32.self))) }
        case "F64": return scalars { Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0, as: UInt64.self)))) }
        case "I64": return scalars { Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0, as: Int64.self))) }
        case "I32": return scalars { Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0, as: Int32.self))) }
        default: return scalars { Float(raw[$0]) }
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
