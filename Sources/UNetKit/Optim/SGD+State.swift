/// `SGD`'s checkpoint state: its momentum buffers (`state.k.momentum_buffer`, present once
/// parameter k has taken a step with momentum) and its hyper-parameters.
extension SGD: Optimizer {
    public func optimizerState() -> (tensors: [(name: String, entry: SafeTensors.Entry)], settings: [String: String]) {
        let tensors = velocity.enumerated().compactMap { k, v in
            v.map { (name: "state.\(k).momentum_buffer", entry: SafeTensors.Entry($0)) }
        }
        return (tensors, ["optimizer": "SGD", "lr": "\(learningRate)", "momentum": "\(momentum)",
                          "weight_decay": "\(weightDecay)"])
    }

    public func loadOptimizerState(tensors: [String: Tensor], settings: [String: String]) throws {
        try OptimizerStateCheck.require(settings, "optimizer", "SGD")
        try OptimizerStateCheck.require(settings, "momentum", "\(momentum)")
        try OptimizerStateCheck.require(settings, "weight_decay", "\(weightDecay)")
        let lr = try OptimizerStateCheck.learningRate(settings)
        try OptimizerStateCheck.requireParameterCount(tensors, parameters.count)
        let restored = try parameters.enumerated().map { k, p in
            try OptimizerStateCheck.buffer(tensors, "state.\(k).momentum_buffer", shape: p.shape)
        }
        velocity = restored
        learningRate = lr
    }
}
