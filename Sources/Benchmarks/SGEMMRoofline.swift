import UNetKit

/// The roofline for the convolutions: GFLOP/s of one `size`³ single-precision matrix product
/// on all cores (the same `matrixMultiply` the fast paths use), the median of `repeats` after a
/// warm-up.
public func sgemmGFLOPS(size: Int = 1024, repeats: Int = 5) -> Double {
    let a = [Float](repeating: 0.5, count: size * size), b = [Float](repeating: 0.25, count: size * size)
    var c = [Float](repeating: 0, count: size * size)
    func multiply() {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    matrixMultiply(m: size, n: size, k: size, a.baseAddress!, lda: size, b.baseAddress!, ldb: size,
                                   beta: 0, c.baseAddress!, ldc: size)
                }
            }
        }
    }
    multiply()
    let seconds = medianSeconds(repeats) { multiply() }
    return 2 * Double(size * size * size) / seconds / 1e9
}
