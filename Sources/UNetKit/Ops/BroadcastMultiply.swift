/// Element-wise multiplication with broadcasting (PyTorch's `a * b` for tensors of the same rank):
/// on every axis the two sizes are equal, or one of them is 1 and that tensor is repeated along
/// the axis. The output takes the larger size on every axis. The attention layers use it to
/// scale `[N, C, H, W]` features by a map `[N, 1, H, W]` (one weight per pixel, shared by the
/// channels) or by weights `[N, C, 1, 1]` (one per channel, shared by the pixels).
///
///     y[idx] = a[idx_a] · b[idx_b]      (idx_a, idx_b: idx with 0 on the axes where that input has size 1)
///     da[idx_a] = Σ dy[idx] · b[idx_b]  over the axes a was repeated along (and likewise db)

/// The shapes of one broadcast: the output shape and each input's strides (0 on repeated axes).
struct BroadcastGeometry: Equatable {
    var shape: [Int]
    var aStrides: [Int]
    var bStrides: [Int]

    init(_ a: [Int], _ b: [Int]) throws {
        guard a.count == b.count else {
            throw ShapeError("broadcasting multiply needs tensors of the same rank, but got shapes "
                             + "\(shapeString(a)) and \(shapeString(b))")
        }
        for axis in 0..<a.count where a[axis] != b[axis] && a[axis] != 1 && b[axis] != 1 {
            throw ShapeError("The size of tensor a (\(a[axis])) must match the size of tensor b (\(b[axis])) at "
                             + "dimension \(axis): shapes \(shapeString(a)) and \(shapeString(b)) do not broadcast")
        }
        shape = zip(a, b).map { $0 == 1 ? $1 : $0 }
        func strides(_ s: [Int]) -> [Int] {
            var result = [Int](repeating: 0, count: s.count)
            var running = 1
            for axis in stride(from: s.count - 1, through: 0, by: -1) {
                result[axis] = s[axis] == 1 ? 0 : running
                running *= s[axis]
            }
            return result
        }
        aStrides = strides(a)
        bStrides = strides(b)
    }

    var count: Int { shape.reduce(1, *) }

    /// Calls `body(out, ia, ib)` for every output element in row-major order with the flat
    /// indices of the two inputs it reads.
    @inline(__always)
    func forEachElement(_ body: (Int, Int, Int) -> Void) {
        let rank = shape.count
        guard count > 0 else { return }
        if rank == 0 { body(0, 0, 0); return }
        var index = [Int](repeating: 0, count: rank)
        var (ia, ib) = (0, 0)
        let (inner, sa, sb) = (shape[rank - 1], aStrides[rank - 1], bStrides[rank - 1])
        var out = 0
        while true {
            for k in 0..<inner { body(out + k, ia + k * sa, ib + k * sb) }
            out += inner
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                ia += aStrides[axis]
                ib += bStrides[axis]
                if index[axis] < shape[axis] { break }
                ia -= aStrides[axis] * shape[axis]
                ib -= bStrides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }
}

/// Forward: y = a · b, broadcast.
func broadcastMultiplyForward<S: KernelScalar>(_ a: [S], _ b: [S], _ g: BroadcastGeometry) -> [S] {
    var y = [S](repeating: 0, count: g.count)
    g.forEachElement { o, ia, ib in y[o] = a[ia] * b[ib] }
    return y
}

/// Backward: da and db, each summed over the axes its input was repeated along.
func broadcastMultiplyBackward<S: KernelScalar>(_ dy: [S], _ a: [S], _ b: [S], _ g: BroadcastGeometry)
    -> (da: [S], db: [S]) {
    var da = [S](repeating: 0, count: a.count)
    var db = [S](repeating: 0, count: b.count)
    g.forEachElement { o, ia, ib in
        da[ia] += dy[o] * b[ib]
        db[ib] += dy[o] * a[ia]
    }
    return (da, db)
}

/// Differentiable element-wise product with broadcasting, e.g. `[N, C, H, W] * [N, 1, H, W]`.
public func broadcastMultiply(_ lhs: Variable, _ rhs: Variable) throws -> Variable {
    let (a, b) = (lhs.value, rhs.value)
    let g = try BroadcastGeometry(a.shape, b.shape)
    let y = broadcastMultiplyForward(a.scalars, b.scalars, g)
    return Variable(Tensor(unchecked: g.shape, y), parents: [lhs, rhs]) { dy in
        let grads = broadcastMultiplyBackward(dy.scalars, a.scalars, b.scalars, g)
        return [Tensor(unchecked: a.shape, grads.da), Tensor(unchecked: b.shape, grads.db)]
    }
}

extension Variable {
    /// `a * b`: element-wise product with broadcasting (see `broadcastMultiply`).
    public static func * (lhs: Variable, rhs: Variable) throws -> Variable { try broadcastMultiply(lhs, rhs) }
}
