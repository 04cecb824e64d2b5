/// One synthetic vessel image with its labels, field of view and a description of the tree.
public struct VesselSample: Equatable, Sendable {
    /// Width (columns) and height (rows).
    public let nx: Int, ny: Int
    /// Grey values in [0, 1] (the green channel of a fundus photograph), `ny × nx`, row-major;
    /// 0 outside the field of view.
    public let image: [Float]
    /// 1 on vessel pixels, 0 elsewhere, `ny × nx`, row-major; always 0 outside the FOV.
    public let vesselMap: [UInt8]
    /// 1 inside the circular field of view, 0 outside, `ny × nx`, row-major.
    public let fovMask: [UInt8]
    /// Total centreline length drawn, in pixels.
    public let centrelineLength: Double
    /// Mean drawn width (max(w, 1)) along the centre lines, in pixels.
    public let meanWidth: Double
    /// The fraction of the centre lines drawn thinner than 2 px.
    public let thinFraction: Double
    /// Segments grown (a tree of k splits has 2k + 1 segments, fewer where branches stop).
    public let segmentCount: Int
    /// Trees started (each is one 8-connected piece, so the label has at most this many).
    public let treeCount: Int
}
