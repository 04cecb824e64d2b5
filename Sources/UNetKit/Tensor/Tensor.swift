/// A dense float32 tensor: a shape and its scalars in row-major order.
///
/// Inside UNetKit images are laid out NCHW (batch × channels × height × width), as in
/// PyTorch. `Tensor` is a value: assigning it copies lazily (the scalars are a Swift
/// array, which is copy-on-write), so changing one copy never changes another.
///
///     var x = Tensor(zeros: [2, 1, 4, 4])   // N=2, C=1, H=4, W=4
///     x[0, 0, 1, 2] = 3
///     print(x.shape)                        // [2, 1, 4, 4]
public struct Tensor: Equatable, Sendable {
    /// The size of each axis, outermost first, e.g. `[N, C, H, W]`.
    public internal(set) var shape: [Int]
    /// All elements, row-major (the last axis varies fastest). `scalars.count == shape.product`.
    /// Read-only from outside the library, so the count always matches the shape; change
    /// elements with the subscript or `withUnsafeMutableScalars`.
    public internal(set) var scalars: [Float]

    /// Makes a tensor from its shape and row-major scalars.
    /// - Throws: `ShapeError` when `scalars.count` is not the product of `shape`.
    public init(shape: [Int], scalars: [Float]) throws {
        try Tensor.checkShape(shape)
        guard scalars.count == shape.reduce(1, *) else {
            throw ShapeError("a tensor of shape \(shapeString(shape)) needs \(shape.reduce(1, *)) "
                             + "scalars, but got \(scalars.count)")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor filled with one value.
    public init(repeating value: Float, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative size in shape \(shapeString(shape))")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// A tensor built element by element from its multi-index, e.g. `Tensor(shape: [3, 3]) { $0[0] == $0[1] ? 1 : 0 }`.
    public init(shape: [Int], _ element: ([Int]) -> Float) {
        self.init(zeros: shape)
        var index = [Int](repeating: 0, count: shape.count)
        for flat in 0..<scalars.count {
            scalars[flat] = element(index)
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
    }

    /// Number of axes.
    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { scalars.count }

    /// Element access by multi-index, e.g. `x[n, c, h, w]`.
    public subscript(indices: Int...) -> Float {
        get { scalars[flatIndex(indices)] }
        set { scalars[flatIndex(indices)] = newValue }
    }

    /// Mutable access to all elements at once (for filling a tensor in a loop without per-element checks).
    public mutating func withUnsafeMutableScalars<R>(_ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }

    /// Row-major strides of `shape`: `strides[i]` is the distance between neighbours on axis `i`.
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count,
                     "index \(indices) has \(indices.count) components, tensor has rank \(shape.count)")
        var flat = 0
        for (axis, i) in indices.enumerated() {
            precondition(i >= 0 && i < shape[axis],
                         "index \(i) is out of range for axis \(axis) of size \(shape[axis])")
            flat = flat * shape[axis] + i
        }
        return flat
    }

    static func checkShape(_ shape: [Int]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw ShapeError("sizes must be non-negative, but got shape \(shapeString(shape))")
        }
    }
}

/// Formats a shape the way PyTorch prints one: `[4, 512, 32, 32]`.
public func shapeString(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
