import Dispatch

/// Runs `body(i)` for i in 0..<count on all cores (the element-wise kernels split their work
/// by image plane or channel). Small counts run inline.
@inline(__always)
func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count < 2 {
        for i in 0..<count { body(i) }
    } else {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
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
    /// Calls `body` with a `SharedBuffer` over the array's elements.
    @inline(__always)
    mutating func withSharedBuffer<R>(_ body: (SharedBuffer<Element>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer { try body(SharedBuffer(base: $0.baseAddress!)) }
    }
}
