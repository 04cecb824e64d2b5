import Foundation

/// A model summary like `torchsummary.summary`: every layer in the order it runs, its output
/// shape and its own parameter count, then the totals.
///
///     print(try modelSummary(UNet(), input: [1, 1, 128, 128]))
public struct ModelSummary: CustomStringConvertible {
    public struct Row {
        public var layer: String
        public var outputShape: [Int]
        public var parameters: Int
    }
    public var rows: [Row]
    public var totalParameters: Int

    public var description: String {
        let line = String(repeating: "-", count: 64)
        var out = [line, "Layer (type)".column(25) + "Output Shape".column(25) + "Param #".leftPadded(14),
                   String(repeating: "=", count: 64)]
        for r in rows {
            out.append(r.layer.column(25) + shapeString([-1] + r.outputShape.dropFirst()).column(25)
                       + r.parameters.formattedWithCommas.leftPadded(14))
        }
        out += [String(repeating: "=", count: 64), "Total params: \(totalParameters.formattedWithCommas)",
                "Trainable params: \(totalParameters.formattedWithCommas)", "Non-trainable params: 0",
                String(format: "Params size (MB): %.2f", Double(totalParameters) * 4 / 1_048_576), line]
        return out.joined(separator: "\n")
    }

}

/// Runs one forward pass on zeros of shape `input` (evaluation mode, no gradients) and records
/// every module that ran, except containers (`Sequential`) and the model itself.
public func modelSummary(_ model: Module, input: [Int]) throws -> ModelSummary {
    var rows: [ModelSummary.Row] = []
    var counts: [String: Int] = [:]
    let wasTraining = model.isTraining
    model.eval()
    defer { model.train(wasTraining) }
    try model.withForwardObserver({ module, output in
        guard module !== model, !(module is Sequential) else { return }
        let kind = String(describing: type(of: module))
        counts[kind, default: 0] += 1
        rows.append(.init(layer: "\(kind)-\(rows.count + 1)", outputShape: output.shape,
                          parameters: module.namedLocalParameters.reduce(0) { $0 + $1.1.value.count }))
    }) {
        _ = try withoutGradients { try model(Variable(Tensor(zeros: input))) }
    }
    return ModelSummary(rows: rows, totalParameters: model.parameterCount)
}
