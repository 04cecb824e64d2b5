/// Overflow-free pieces of the logistic function that the losses built on logits share.
/// For any finite x (±100 included) every value here is finite:
///
///     log1pExp(−|x|) = log(1 + e^(−|x|))            in [0, log 2]
///     softplus(x)    = log(1 + e^x)  = max(x, 0) + log(1 + e^(−|x|))
///     logSigmoid(x)  = −softplus(−x)
///     sigmoid(x)     = 1 / (1 + e^(−x)), formed from e^(−|x|) so nothing overflows

/// log(1 + z) for z in [0, 1], accurate also for tiny z (where 1 + z rounds to 1).
@inline(__always)
func log1pSmall<S: KernelScalar>(_ z: S) -> S {
    z < S(1e-4) ? z * (1 - z * (S(0.5) - z / 3)) : S.log(1 + z)
}

/// log(1 + e^x).
@inline(__always)
func softplus<S: KernelScalar>(_ x: S) -> S { max(x, 0) + log1pSmall(S.exp(-abs(x))) }

/// The logistic sigmoid 1 / (1 + e^(−x)) without overflow; 1 − sigmoid(x) is sigmoid(−x).
@inline(__always)
func stableSigmoid<S: KernelScalar>(_ x: S) -> S {
    let z = S.exp(-abs(x))
    return x >= 0 ? 1 / (1 + z) : z / (1 + z)
}

/// a^b for a ≥ 0 (0^0 = 1; a > 0 when b < 0), by repeated multiplication when b is a small whole number
/// (the usual γ = 1, 2, 3), else e^(b·log a).
@inline(__always)
func nonNegativePower<S: KernelScalar>(_ a: S, _ b: S) -> S {
    if b == 0 { return 1 }
    if a == 0 { return 0 }
    if b > 0, b == b.rounded(), b <= 4 {
        var r: S = 1
        for _ in 0..<Int(b) { r *= a }
        return r
    }
    return S.exp(b * S.log(a))
}
