/// A convolution layer's Winograd-transformed kernels, U = G w Gᵀ (`[16 or 36, Cout, Cin]`, see
/// `Conv2dWinograd.swift`), kept from one call to the next while the weights stay the same.
///
/// Without it every forward pass and every backward pass transforms all kernels again
/// (16·Cin·Cout values written per layer and call). The cache remembers the weight
/// `Variable`'s `version` it was made from; any change of the weights (an optimiser step,
/// `loadStateDict`, an assignment) moves the version on and the next call transforms again.
/// So a training step transforms each layer's kernels once (forward and backward share them)
/// and evaluation transforms them once for as many batches as it runs. Costs the memory of U
/// (16/9 of the layer's weights; 4 times them for F(4×4)) for as long as the layer lives.
final class WinogradWeightCache {
    private var source: ObjectIdentifier?
    private var version = -1
    private var tile = 0
    private var transformed: [Float] = []

    /// U of `weight` (`[Cout, Cin, 3, 3]`) for output tiles of side `tile` (2 or 4), transformed
    /// now only if the weights (or the tile) changed since the last call. A new shape comes with
    /// a new value, so the version covers it.
    func transformed(_ weight: Variable, tile: Int) -> [Float] {
        if ObjectIdentifier(weight) != source || weight.version != version || tile != self.tile {
            let s = weight.value.shape
            // In place: by the next step the graph that shared the old kernels is gone.
            var buffer = transformed
            transformed = []
            winogradWeightTransform(weight.value.scalars, cout: s[0], cin: s[1], tile: tile, into: &buffer)
            transformed = buffer
            (source, version, self.tile) = (ObjectIdentifier(weight), weight.version, tile)
        }
        return transformed
    }
}
