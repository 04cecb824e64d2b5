import Foundation
import UNetKit

/// The deterministic "formula weights" of `Fixtures/course_unet.py`, so full-width networks
/// can be compared with PyTorch without shipping their weights. j is the flat row-major index
/// within each tensor; values are computed in Double and rounded to Float:
///
///     conv weight   (2h/2³² − 1)·√(6/fan_in),  h = (j·2654435761 + n·40503) mod 2³²
///                   (fan_in = in·kH·kW, n = element count; integer hash: same bits everywhere)
///     conv bias     0.1·cos(0.7·j)
///     BN weight     1 + 0.1·sin(0.9·j)       BN bias      0.05·cos(1.1·j)
///     running_mean  0.1·sin(0.3·j)           running_var  1 + 0.2·|sin(0.5·j)|
///     num_batches_tracked 0
public func formulaStateDict(_ model: Module) -> [String: Tensor] {
    func fill(_ shape: [Int], _ f: (Double) -> Double) -> Tensor {
        var t = Tensor(zeros: shape)
        t.withUnsafeMutableScalars { s in for j in 0..<s.count { s[j] = Float(f(Double(j))) } }
        return t
    }
    var entries: [String: Tensor] = [:]
    for (prefix, module) in model.namedModules() {
        let key = { (name: String) in prefix.isEmpty ? name : prefix + "." + name }
        if let conv = module as? Conv2d {
            let shape = conv.weight.value.shape
            let fanIn = Double(shape.dropFirst().reduce(1, *))
            let n = UInt64(shape.reduce(1, *))
            entries[key("weight")] = fill(shape) { j in
                let h = (UInt64(j) * 2_654_435_761 + n * 40503) % 4_294_967_296
                return (2 * Double(h) / 4_294_967_296 - 1) * (6 / fanIn).squareRoot()
            }
            if let bias = conv.bias { entries[key("bias")] = fill(bias.value.shape) { 0.1 * cos(0.7 * $0) } }
        } else if let bn = module as? BatchNorm2d {
            let shape = bn.weight.value.shape
            entries[key("weight")] = fill(shape) { 1 + 0.1 * sin(0.9 * $0) }
            entries[key("bias")] = fill(shape) { 0.05 * cos(1.1 * $0) }
            entries[key("running_mean")] = fill(shape) { 0.1 * sin(0.3 * $0) }
            entries[key("running_var")] = fill(shape) { 1 + 0.2 * abs(sin(0.5 * $0)) }
            entries[key("num_batches_tracked")] = Tensor(zeros: [])
        }
    }
    return entries
}
