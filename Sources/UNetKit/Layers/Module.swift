/// The base class of every layer and network, like PyTorch's `nn.Module`.
///
/// A subclass declares its layers and parameters as stored properties and writes only its
/// `forward` — autograd does the backward. Parameters, sub-modules and their names are found
/// by reflection, so the names are the property names, joined with dots as in a PyTorch
/// `state_dict`: a property `inc` holding a module whose property `conv` is a `Sequential`
/// gives `inc.conv.0.weight`.
///
///     final class TwoLayers: Module {
///         let conv1 = Conv2d(1, 8, kernelSize: 3, padding: 1)
///         let conv2 = Conv2d(8, 2, kernelSize: 1)
///         override func forward(_ x: Variable) throws -> Variable {
///             try conv2(conv1(x).relu())
///         }
///     }
open class Module {
    /// Training mode (batch statistics in BatchNorm) or evaluation mode (running statistics).
    public private(set) var isTraining = true

    public init() {}

    /// The forward pass for one input. Modules with several inputs (like the UNet's `up`)
    /// define their own `callAsFunction(_:_:)` instead.
    open func forward(_ input: Variable) throws -> Variable {
        throw ModuleError("\(type(of: self)) does not define forward(_:) for one input")
    }

    /// `module(x)` runs `forward(x)`.
    public func callAsFunction(_ input: Variable) throws -> Variable {
        let output = try forward(input)
        Module.forwardObserver?(self, output)
        return output
    }

    /// For modules with several inputs (their own `callAsFunction(_:_:)`): reports the output
    /// to the model summary as a one-input module's call does, and returns it.
    public func observed(_ output: Variable) -> Variable {
        Module.forwardObserver?(self, output)
        return output
    }

    /// For fused ops that never make this module's output: reports a value of that shape (zeros,
    /// made only while something observes) to the model summary and the FLOP count.
    public func observed(shape: [Int]) {
        if let observer = Module.forwardObserver { observer(self, Variable(Tensor(zeros: shape))) }
    }

    /// Sees every module's output as it is computed (the model summary uses it); nil normally.
    nonisolated(unsafe) static var forwardObserver: ((Module, Variable) -> Void)?

    /// Runs `body` with `observer` seeing every module's output as it is computed (the model
    /// summary and the benchmark's FLOP count use it).
    public func withForwardObserver<R>(_ observer: @escaping (Module, Variable) -> Void, _ body: () throws -> R) rethrows -> R {
        let saved = Module.forwardObserver
        Module.forwardObserver = observer
        defer { Module.forwardObserver = saved }
        return try body()
    }

    /// Direct sub-modules with their names. Default: every stored property holding a `Module`.
    open var namedChildren: [(String, Module)] {
        storedProperties().compactMap { name, value in (value as? Module).map { (name, $0) } }
    }

    /// This module's own parameters (not its children's). Default: every stored property
    /// holding a `Variable` (optional ones included when set).
    open var namedLocalParameters: [(String, Variable)] {
        storedProperties().compactMap { name, value in (value as? Variable).map { (name, $0) } }
    }

    /// This module's own buffers: state saved with the weights but not trained
    /// (BatchNorm's running statistics). Default: none.
    open var namedLocalBuffers: [(String, Tensor)] { [] }

    /// Replaces one of this module's own buffers (used when loading weights).
    open func setLocalBuffer(_ name: String, to value: Tensor) throws {
        throw ModuleError("\(type(of: self)) has no buffer named \(name)")
    }

    /// All parameters, depth first, named as in PyTorch's `named_parameters()`.
    public func namedParameters(prefix: String = "") -> [(String, Variable)] {
        namedLocalParameters.map { (prefix + $0.0, $0.1) }
            + namedChildren.flatMap { $0.1.namedParameters(prefix: prefix + $0.0 + ".") }
    }

    /// All buffers, depth first, named as in PyTorch's `named_buffers()`.
    public func namedBuffers(prefix: String = "") -> [(String, Tensor)] {
        namedLocalBuffers.map { (prefix + $0.0, $0.1) }
            + namedChildren.flatMap { $0.1.namedBuffers(prefix: prefix + $0.0 + ".") }
    }

    /// Every module in the tree with its dotted name ("" for self), depth first.
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        [(prefix, self)] + namedChildren.flatMap {
            $0.1.namedModules(prefix: prefix.isEmpty ? $0.0 : prefix + "." + $0.0)
        }
    }

    /// All parameters (what the optimizer updates).
    public func parameters() -> [Variable] { namedParameters().map(\.1) }

    /// Number of trainable scalars, as PyTorch's `sum(p.numel() for p in model.parameters())`.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.value.count } }

    /// Sets training (true) or evaluation (false) mode on this module and all its children.
    public func train(_ mode: Bool = true) {
        for (_, module) in namedModules() { module.isTraining = mode }
    }

    /// Evaluation mode: `train(false)`.
    public func eval() { train(false) }

    /// Clears the gradient of every parameter.
    public func zeroGrad() { parameters().forEach { $0.zeroGrad() } }

    /// Stored properties of the dynamic type and its superclasses (below `Module`), in declaration order.
    private func storedProperties() -> [(String, Any)] {
        var chain: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror, m.subjectType != Module.self {
            chain.append(m)
            mirror = m.superclassMirror
        }
        return chain.reversed().flatMap { m in
            m.children.compactMap { child in child.label.map { (Module.pythonName($0), child.value) } }
        }
    }

    /// Swift property names that differ from PyTorch's (`runningMean` → `running_mean`);
    /// names with no capital letters are kept as they are.
    static func pythonName(_ swiftName: String) -> String {
        var name = swiftName.hasPrefix("$__lazy_storage_$_") ? String(swiftName.dropFirst(18)) : swiftName
        if name.hasPrefix("_") { name.removeFirst() }
        return name.reduce(into: "") { out, ch in
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
    }
}
