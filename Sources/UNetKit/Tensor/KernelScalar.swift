import Foundation

/// The scalar types the op kernels are written for.
///
/// Every kernel in `Ops/` (except the BLAS path, which is `Float` only) is generic over
/// `KernelScalar`: training runs it in `Float`, the finite-difference gradient checks run
/// the very same code in `Double`, where central differences are accurate to ~1e-8.
public protocol KernelScalar: BinaryFloatingPoint, Sendable {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
}

extension Float: KernelScalar {
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    @inlinable public static func log(_ x: Float) -> Float { Foundation.log(x) }
}

extension Double: KernelScalar {
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
}
