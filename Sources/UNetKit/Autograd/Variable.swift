/// A node of the computation graph: a tensor value, its gradient, and how to send a
/// gradient back to the nodes it was computed from (reverse-mode automatic differentiation).
///
/// Leaves are the inputs and the parameters; every op in `Ops/` that takes `Variable`s
/// returns a new `Variable` that remembers its parents and a backward closure written
/// right next to the op's forward. `loss.backward()` visits the graph once in reverse
/// topological order and *adds* each gradient into `grad` of the leaves that require one —
/// so a module only ever writes its forward:
///
///     let x = Variable(batch)                       // [N, 1, H, W], no gradient
///     let y = try conv2d(x, weight: w, bias: b, padding: 1).relu()
///     let loss = try binaryCrossEntropy(y.sigmoid(), target)
///     try loss.backward()                           // fills w.grad and b.grad
public final class Variable {
    /// The value computed by the forward pass.
    public var value: Tensor { didSet { version &+= 1 } }
    /// Counts the changes of `value` (PyTorch's `tensor._version`): an optimiser step or a
    /// loaded state dict moves it on, so a layer can keep something computed from its weights
    /// (the Winograd-transformed kernels) for as long as the version stays the same.
    public private(set) var version = 0
    /// dL/d(value) after `backward()`, for leaves with `requiresGrad`; `nil` before.
    public var grad: Tensor?
    /// Whether gradients flow to (or through) this node.
    public let requiresGrad: Bool

    let parents: [Variable]
    /// Given dL/d(self), returns dL/d(parent) for each parent (nil where not needed).
    let backwardFunction: ((Tensor) throws -> [Tensor?])?

    /// A leaf: an input (`requiresGrad: false`) or a parameter (`requiresGrad: true`).
    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.parents = []
        self.backwardFunction = nil
    }

    /// An interior node: a new op's result (like a `torch.autograd.Function`), its inputs and
    /// its backward, written next to the forward that computed `value`. `backward` gets
    /// dL/d(value) (of `value`'s shape) and returns dL/d(parent) for each parent, in order
    /// (nil for a parent that needs none). When no parent needs a gradient (or gradients are
    /// off, see `withoutGradients`), the graph is not recorded and the node is a plain value.
    public init(_ value: Tensor, parents: [Variable], backward: @escaping (Tensor) throws -> [Tensor?]) {
        self.value = value
        let needed = Autograd.isEnabled && parents.contains { $0.requiresGrad }
        self.requiresGrad = needed
        self.parents = needed ? parents : []
        self.backwardFunction = needed ? backward : nil
    }

    /// The shape of `value`.
    public var shape: [Int] { value.shape }

    /// Back-propagates from this scalar (a loss): dL/dL = 1.
    /// - Throws: `ShapeError` when `value` is not a single number.
    public func backward() throws {
        guard value.count == 1 else {
            throw ShapeError("backward() needs a scalar loss (1 element), but this value has shape "
                             + "\(shapeString(shape)); call backward(gradient:) with a tensor of that shape")
        }
        try backward(gradient: Tensor(repeating: 1, shape: shape))
    }

    /// Back-propagates `gradient` = dL/d(self) to every leaf with `requiresGrad`,
    /// adding into their `grad`.
    public func backward(gradient: Tensor) throws {
        guard gradient.shape == shape else {
            throw ShapeError("expected a gradient of shape \(shapeString(shape)), but got \(shapeString(gradient.shape))")
        }
        guard requiresGrad else { return }
        let order = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): gradient]
        for node in order.reversed() {
            guard let g = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            guard let backwardFunction = node.backwardFunction else {
                node.accumulate(g)          // a leaf parameter
                continue
            }
            let parentGrads = try backwardFunction(g)
            for (parent, pg) in zip(node.parents, parentGrads) where parent.requiresGrad {
                guard let pg else { continue }
                let key = ObjectIdentifier(parent)
                if let existing = pending[key] {
                    pending[key] = addTensors(existing, pg)
                } else {
                    pending[key] = pg
                }
            }
        }
    }

    /// Sets `grad` to nil (the optimizer's `zeroGrad()` calls this for every parameter).
    public func zeroGrad() { grad = nil }

    func accumulate(_ g: Tensor) {
        if let existing = grad { grad = addTensors(existing, g) } else { grad = g }
    }

    /// Nodes reachable from self, parents before children (iterative depth-first search).
    private func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Variable, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded { order.append(node); continue }
            guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
            stack.append((node, true))
            for parent in node.parents where parent.requiresGrad && !visited.contains(ObjectIdentifier(parent)) {
                stack.append((parent, false))
            }
        }
        return order
    }
}

/// Switches gradient recording on and off.
public enum Autograd {
    /// When false, ops build no graph (evaluation, prediction).
    nonisolated(unsafe) public static var isEnabled = true
}

/// Runs `body` without recording a graph, like PyTorch's `torch.no_grad()`.
public func withoutGradients<T>(_ body: () throws -> T) rethrows -> T {
    let saved = Autograd.isEnabled
    Autograd.isEnabled = false
    defer { Autograd.isEnabled = saved }
    return try body()
}

/// Element-wise sum of two tensors of the same shape (used to accumulate gradients), written
/// into a new tensor on all cores (no serial copy of `a` first).
func addTensors(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "addTensors: shapes \(shapeString(a.shape)) and \(shapeString(b.shape))")
    var out = a
    out.scalars = uninitializedArray(a.scalars.count)   // every element is written below
    out.scalars.withSharedBuffer { o in
        a.scalars.withUnsafeBufferPointer { a in
            b.scalars.withUnsafeBufferPointer { b in
                parallelRanges(b.count) { range in for i in range { o[i] = a[i] + b[i] } }
            }
        }
    }
    return out
}
