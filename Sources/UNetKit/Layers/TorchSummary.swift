import Foundation

/// A model summary as the `torch-summary` package (version 1.4.5, `summary(model, input_size)`)
/// prints it: modules in the order their forward passes start, each with its depth and
/// per-depth index ("Conv2d: 2-3"), output shape (batch shown as −1) and parameter count
/// ("--" for containers), then the totals, the mult-adds and the memory estimates.
///
/// Its rules, reproduced here: a module's mult-adds are, for each parameter named exactly
/// `weight`, its size times the output's H·W in a convolution (class name containing "Conv") or
/// its size otherwise, and for each nested parameter whose name contains "weight" its size (so
/// containers add their layers' weight sizes once more); the total sums every listed module.
/// Total params count the listed leaves (and the modules at the maximum depth). The
/// forward/backward size is 2 × the output elements of every leaf with parameters; sizes in MB
/// are elements × 4 / 1024².
public struct TorchSummary: CustomStringConvertible {
    public struct Row {
        public var className: String
        public var depth: Int
        public var depthIndex: Int
        public var outputShape: [Int]
        public var parameters: Int
        public var multAdds: Int
        public var isLeaf: Bool
        public var label: String { "\(className): \(depth)-\(depthIndex)" }
    }
    /// Every module whose forward ran, down to `maxDepth + 1`, in the order the calls started.
    public var rows: [Row]
    public var maxDepth: Int
    /// The input size without the batch dimension, as given.
    public var inputSize: [Int]

    public var totalParameters: Int {
        rows.filter { $0.depth == maxDepth || ($0.isLeaf && $0.depth < maxDepth) }.reduce(0) { $0 + $1.parameters }
    }
    public var totalMultAdds: Int { rows.reduce(0) { $0 + $1.multAdds } }
    /// Elements kept by the forward and backward passes: 2 × the outputs of leaves with parameters.
    public var forwardBackwardElements: Int {
        rows.filter { $0.isLeaf && $0.parameters > 0 }.reduce(0) { $0 + 2 * $1.outputShape.dropFirst().reduce(1, *) }
    }

    public var description: String {
        let columnWidth = 25
        var nameWidth = 40
        let longest = rows.map { $0.label.count + $0.depth * 5 + 1 }.max() ?? 0
        if longest >= nameWidth { nameWidth = (longest + 4) / 5 * 5 }
        func formatRow(_ name: String, _ values: [String]) -> String {
            var line = name.padding(toLength: max(nameWidth, name.count), withPad: " ", startingAt: 0) + " "
            for v in values { line += v.padding(toLength: max(columnWidth, v.count), withPad: " ", startingAt: 0) + " " }
            while line.hasSuffix(" ") { line.removeLast() }
            return line + "\n"
        }
        let divider = String(repeating: "=", count: 2 * columnWidth + nameWidth)
        var table = ""
        for row in rows where row.depth <= maxDepth {
            let branch = row.depth == 1 ? "├─" : String(repeating: "|    ", count: row.depth - 1) + "└─"
            let showsParameters = row.parameters > 0 && (row.depth == maxDepth || row.isLeaf)
            let shape = "[" + ([-1] + row.outputShape.dropFirst()).map(String.init).joined(separator: ", ") + "]"
            table += formatRow(branch + row.label, [shape, showsParameters ? row.parameters.formattedWithCommas : "--"])
        }
        let total = totalParameters
        let multAdds = Double(totalMultAdds)
        func megabytes(_ elements: Int) -> String { String(format: "%.2f", Double(elements) * 4 / 1_048_576) }
        let input = inputSize.reduce(1, *)
        return divider + "\n" + formatRow("Layer (type:depth-idx)", ["Output Shape", "Param #"]) + divider + "\n"
            + table + divider + "\n"
            + "Total params: \(total.formattedWithCommas)\nTrainable params: \(total.formattedWithCommas)\n"
            + "Non-trainable params: 0\n"
            + "Total mult-adds (\(multAdds >= 1e9 ? "G" : "M")): "
            + String(format: "%.2f", multAdds >= 1e9 ? multAdds / 1e9 : multAdds / 1e6) + "\n"
            + divider + "\n"
            + "Input size (MB): \(megabytes(input))\n"
            + "Forward/backward pass size (MB): \(megabytes(forwardBackwardElements))\n"
            + "Params size (MB): \(megabytes(total))\n"
            + "Estimated Total Size (MB): \(megabytes(input + forwardBackwardElements + total))\n"
            + divider
    }
}

/// Runs one forward pass on zeros of shape `[1] + inputSize` (evaluation mode, no gradients)
/// and summarises it as `torch-summary` does (`depth` 3 by default). `classNames` renames
/// Swift classes to the PyTorch classes they stand for (`["OCTADownBlock": "Downsample_block"]`).
///
///     print(try torchSummary(OCTAUNet(), inputSize: [1, 64, 64], classNames: OCTAUNet.pytorchClassNames))
public func torchSummary(_ model: Module, inputSize: [Int], depth maxDepth: Int = 3,
                         classNames: [String: String] = [:]) throws -> TorchSummary {
    var names: [ObjectIdentifier: String] = [:]
    for (name, module) in model.namedModules() where !name.isEmpty { names[ObjectIdentifier(module)] = name }
    var events: [(module: Module, name: String, shape: [Int])] = []
    let wasTraining = model.isTraining
    model.eval()
    defer { model.train(wasTraining) }
    try model.withForwardObserver({ module, output in
        guard let name = names[ObjectIdentifier(module)] else { return }
        events.append((module, name, output.shape))
    }) {
        _ = try withoutGradients { try model(Variable(Tensor(zeros: [1] + inputSize))) }
    }
    // Observers see modules as they finish; a module started where its first descendant did.
    var starts = Array(events.indices)
    for i in events.indices {
        var j = i - 1
        while j >= 0, events[j].name.hasPrefix(events[i].name + ".") {
            starts[i] = min(starts[i], starts[j])
            j -= 1
        }
    }
    func depthOf(_ name: String) -> Int { name.split(separator: ".").count }
    let order = events.indices.sorted { (starts[$0], depthOf(events[$0].name)) < (starts[$1], depthOf(events[$1].name)) }
    var counters: [Int: Int] = [:]
    var rows: [TorchSummary.Row] = []
    for i in order {
        let (module, name, shape) = events[i]
        let depth = depthOf(name)
        guard depth <= maxDepth + 1 else { continue }
        counters[depth, default: 0] += 1
        let swiftName = String(describing: type(of: module))
        let className = classNames[swiftName] ?? swiftName
        var multAdds = 0
        for (parameterName, parameter) in module.namedParameters() {
            if parameterName == "weight" {
                multAdds += className.contains("Conv") ? parameter.value.count * shape.dropFirst(2).reduce(1, *)
                                                       : parameter.value.count
            } else if parameterName.contains("weight") {
                multAdds += parameter.value.count
            }
        }
        rows.append(.init(className: className, depth: depth, depthIndex: counters[depth]!, outputShape: shape,
                          parameters: module.parameterCount, multAdds: multAdds,
                          isLeaf: module.namedChildren.isEmpty))
    }
    return TorchSummary(rows: rows, maxDepth: maxDepth, inputSize: inputSize)
}
