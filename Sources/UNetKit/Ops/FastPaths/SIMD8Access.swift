/// Eight floats at a time, for the fast paths' Swift loops (batch norm's statistics in
/// `BatchNormReLU.swift`, F(4×4)'s kernel transforms in `WinogradF4Transforms.swift`; the
/// per-tile and per-pixel loops are C, `CVectorKernels`): unaligned loads and stores of 8
/// consecutive floats, or of the first `count` of them at the end of a row (the other lanes
/// read as 0 and are not written).

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
