/// Softmax and log-softmax along one axis (`torch.softmax(x, dim)`, `F.log_softmax(x, dim)`),
/// for class scores laid out `[N, C, …]` with `dim = 1`, the channel axis. Any rank.
///
/// The tensor is viewed as `[outer, C, inner]` (outer = product of the sizes before `dim`,
/// inner = product of the sizes after it); every (outer, inner) line of C values is
/// normalised on its own:
///
///     logSoftmax(x)_c = x_c − m − log Σ_k e^(x_k − m),   m = max_k x_k   (no overflow for any x)
///     softmax(x)_c    = e^(logSoftmax(x)_c)
///
///     softmax backward:     dx_c = y_c · (dy_c − Σ_k dy_k · y_k)
///     logSoftmax backward:  dx_c = dy_c − softmax(x)_c · Σ_k dy_k

/// The `[outer, C, inner]` view of a shape around axis `dim`.
struct AxisLines {
    let outer: Int, length: Int, inner: Int
    init(_ shape: [Int], dim: Int) {
        outer = shape[..<dim].reduce(1, *)
        length = shape[dim]
        inner = shape[(dim + 1)...].reduce(1, *)
    }
    /// Calls `body(base)` for every line; the line's elements are base, base + inner, ….
    func forEachLine(_ body: (Int) -> Void) {
        for o in 0..<outer { for i in 0..<inner { body(o * length * inner + i) } }
    }
}

func logSoftmaxForward<S: KernelScalar>(_ x: [S], _ lines: AxisLines) -> [S] {
    var y = x
    let stride = lines.inner
    lines.forEachLine { base in
        var m = -S.infinity
        for c in 0..<lines.length { m = max(m, x[base + c * stride]) }
        var sum: S = 0
        for c in 0..<lines.length { sum += S.exp(x[base + c * stride] - m) }
        let shift = m + S.log(sum)
        for c in 0..<lines.length { y[base + c * stride] = x[base + c * stride] - shift }
    }
    return y
}

func softmaxForward<S: KernelScalar>(_ x: [S], _ lines: AxisLines) -> [S] {
    logSoftmaxForward(x, lines).map { S.exp($0) }
}

/// Uses the forward output y = softmax(x).
func softmaxBackward<S: KernelScalar>(_ dy: [S], output y: [S], _ lines: AxisLines) -> [S] {
    var dx = dy
    let stride = lines.inner
    lines.forEachLine { base in
        var dot: S = 0
        for c in 0..<lines.length { dot += dy[base + c * stride] * y[base + c * stride] }
        for c in 0..<lines.length { let k = base + c * stride; dx[k] = y[k] * (dy[k] - dot) }
    }
    return dx
}

/// Uses the forward output y = logSoftmax(x).
func logSoftmaxBackward<S: KernelScalar>(_ dy: [S], output y: [S], _ lines: AxisLines) -> [S] {
    var dx = dy
    let stride = lines.inner
    lines.forEachLine { base in
        var sum: S = 0
        for c in 0..<lines.length { sum += dy[base + c * stride] }
        for c in 0..<lines.length { let k = base + c * stride; dx[k] = dy[k] - S.exp(y[k]) * sum }
    }
    return dx
}

/// Checks `dim` against the rank like PyTorch ("Dimension out of range (expected to be in
/// range of [-2, 1], but got 2)") and returns it non-negative.
func normalizedDimension(_ dim: Int, rank: Int) throws -> Int {
    let r = max(rank, 1)
    guard dim >= -r && dim < r, rank > 0 else {
        throw ShapeError("Dimension out of range (expected to be in range of [\(-r), \(r - 1)], but got \(dim))")
    }
    return dim < 0 ? dim + rank : dim
}

extension Variable {
    /// Softmax along `dim` (default 1: the classes of an `[N, C, H, W]` score map): every line
    /// along `dim` becomes positive and sums to 1. Same shape as the input.
    public func softmax(dim: Int = 1) throws -> Variable {
        let lines = AxisLines(shape, dim: try normalizedDimension(dim, rank: shape.count))
        let y = Tensor(unchecked: shape, softmaxForward(value.scalars, lines))
        return Variable(y, parents: [self]) { dy in
            [Tensor(unchecked: y.shape, softmaxBackward(dy.scalars, output: y.scalars, lines))]
        }
    }

    /// log(softmax(x)) along `dim` (default 1), computed without overflow or log(0) for any
    /// finite scores. Same shape as the input.
    public func logSoftmax(dim: Int = 1) throws -> Variable {
        let lines = AxisLines(shape, dim: try normalizedDimension(dim, rank: shape.count))
        let y = Tensor(unchecked: shape, logSoftmaxForward(value.scalars, lines))
        return Variable(y, parents: [self]) { dy in
            [Tensor(unchecked: y.shape, logSoftmaxBackward(dy.scalars, output: y.scalars, lines))]
        }
    }
}
