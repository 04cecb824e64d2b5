/// A convolution layer's Winograd-transformed kernels, U = G w Gᵀ (`[16 or 36, Cout, Cin]`, see
/// `Conv2dWinograd.swift`), kept from one call to the next while the weights stay the same.
///
/// Without it every forward pass and every backward pass transforms all kernels again
/// (16 or 36·Cin·Cout values written per layer and call). The cache remembers, per tile size,
/// the weight `Variable`'s `version` it was made from; any change of the weights (an optimiser
/// step, `loadStateDict`, an assignment) moves the version on and the next call transforms
/// again. So a training step transforms each layer's kernels once per tile it uses (its forward
/// pass runs F(2×2), its backward pass F(4×4) on large maps: `WinogradTiling`), and evaluation
/// transforms them once for as many batches as it runs. Costs the memory of U (16/9 of the
/// layer's weights for F(2×2), 4 times them for F(4×4)) for as long as the layer lives; each
/// tile's buffer is rewritten in place, so a training step allocates none.
final class WinogradWeightCache {
    private struct Entry {
        var source: ObjectIdentifier?
        var version = -1
        var transformed: [Float] = []
    }
    /// Index 0: F(2×2), 1: F(4×4).
    private var entries = [Entry(), Entry()]

    /// U of `weight` (`[Cout, Cin, 3, 3]`) for output tiles of side `tile` (2 or 4), transformed
    /// now only if the weights changed since the last call for this tile. A new shape comes with
    /// a new value, so the version covers it.
    func transformed(_ weight: Variable, tile: Int) -> [Float] {
        precondition(tile == 2 || tile == 4, "Winograd tiles are 2 or 4, got \(tile)")
        let slot = tile == 2 ? 0 : 1
        if ObjectIdentifier(weight) != entries[slot].source || weight.version != entries[slot].version {
            let s = weight.value.shape
            // In place: by the next step the graph that shared the old kernels is gone.
            var buffer = entries[slot].transformed
            entries[slot].transformed = []
            winogradWeightTransform(weight.value.scalars, cout: s[0], cin: s[1], tile: tile, into: &buffer)
            entries[slot] = Entry(source: ObjectIdentifier(weight), version: weight.version, transformed: buffer)
        }
        return entries[slot].transformed
    }
}
