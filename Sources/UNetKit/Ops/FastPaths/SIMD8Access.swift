/// Eight floats at a time, for the fast paths' inner loops (`BatchNormReLU.swift`,
/// `Conv2dWinograd.swift`): unaligned loads and stores of 8 consecutive floats, or of the first
/// `count` of them at the end of a row (the other lanes read as 0 and are not written).

@inline(__always)
func load8(_ p: UnsafePointer<Float>, count: Int = 8) -> SIMD8<Float> {
    if count == 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
    var v = SIMD8<Float>()
    for k in 0..<count { v[k] = p[k] }
    return v
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, count: Int = 8) {
    if count == 8 {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    } else {
        for k in 0..<count { p[k] = v[k] }
    }
}

/// Calls `body(i, count)` for i = 0, 8, 16, … < n, count = min(8, n − i).
@inline(__always)
func forEach8(_ n: Int, _ body: (Int, Int) -> Void) {
    var i = 0
    while i < n { body(i, min(8, n - i)); i += 8 }
}

extension SIMD8 where Scalar == Float {
    /// max(x, 0) per lane, NaN to 0 as `relu` does.
    @inline(__always) var relu: SIMD8<Float> { replacing(with: 0, where: .!(self .> 0)) }
}
