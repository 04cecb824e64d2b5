import Dispatch

/// Runs `body(i)` for i in 0..<count on all cores (the element-wise kernels split their work
/// by image plane or channel). Small counts run inline.
///
/// The iterations write disjoint parts of their outputs (`SharedBuffer`): that is what makes
/// running them at once safe, and the compiler cannot check it, so the closure crosses into
/// Dispatch unchecked.
@inline(__always)
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count < 2 {
        for i in 0..<count { body(i) }
    } else {
        withoutActuallyEscaping(body) { body in
            let iteration = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { iteration.value($0) }
        }
    }
}

/// A value handed to other threads whose safety the code around it guarantees (disjoint writes).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Runs `body(range)` over 0..<count cut into contiguous ranges, on all cores when count is at
/// least `minimum` (element-wise loops over large tensors), else in one piece.
@inline(__always)
func parallelRanges(_ count: Int, minimum: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
    let pieces = count < minimum ? 1 : 4 * computeThreads
    parallelFor(pieces) { k in body((count * k / pieces)..<(count * (k + 1) / pieces)) }
}

/// Mutable access to an array's storage that can be shared by `parallelFor` iterations writing
/// disjoint elements.
struct SharedBuffer<S>: @unchecked Sendable {
    let base: UnsafeMutablePointer<S>
    @inline(__always) subscript(i: Int) -> S {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

extension Array {
    /// Calls `body` with a `SharedBuffer` over the array's elements. (An empty array has no
    /// storage; its buffer is then an aligned placeholder that must not be read, as there is
    /// nothing to read.)
    @inline(__always)
    mutating func withSharedBuffer<R>(_ body: (SharedBuffer<Element>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
            return try body(SharedBuffer(base: base))
        }
    }
}
