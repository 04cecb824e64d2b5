/// The vessel label and darkness maps that growing vessels are stamped into.
///
/// `stamp(x:y:width:)` marks every pixel q with |q − p|² ≤ r², r = max(w, 1)/2, and the pixel
/// nearest to p (⌊p + ½⌋ on each axis) as vessel. With centreline steps of ½ px the nearest
/// pixels of consecutive steps are 8-neighbours, so a vessel of any width is 8-connected.
///
/// The darkness D(q) = max over stamps of c_w (1 − ½ |q − p|²/r²) (c_w/2 for the nearest pixel
/// when it lies outside r), with contrast c_w = 0.4 min(1, (w + 1)/4): thick vessels are
/// darker, and darkest on their centre line. The image is multiplied by (1 − D).
struct VesselCanvas {
    let nx: Int, ny: Int
    /// 1 where a vessel was stamped, `ny × nx` row-major.
    var vessel: [UInt8]
    /// The darkness D in [0, 0.4], `ny × nx` row-major.
    var darkness: [Float]

    init(nx: Int, ny: Int) {
        self.nx = nx
        self.ny = ny
        vessel = [UInt8](repeating: 0, count: nx * ny)
        darkness = [Float](repeating: 0, count: nx * ny)
    }

    static func contrast(width w: Double) -> Double { 0.4 * min(1, (w + 1) / 4) }

    mutating func stamp(x px: Double, y py: Double, width w: Double) {
        let r = max(w, 1) / 2
        let r2 = r * r
        let c = Self.contrast(width: w)
        let x0 = max(0, Int((px - r).rounded(.up))), x1 = min(nx - 1, Int((px + r).rounded(.down)))
        let y0 = max(0, Int((py - r).rounded(.up))), y1 = min(ny - 1, Int((py + r).rounded(.down)))
        if x0 <= x1 && y0 <= y1 {
            for y in y0...y1 {
                let dy = Double(y) - py
                for x in x0...x1 {
                    let dx = Double(x) - px
                    let d2 = dx * dx + dy * dy
                    if d2 <= r2 { mark(y * nx + x, Float(c * (1 - 0.5 * d2 / r2))) }
                }
            }
        }
        let nearestX = Int((px + 0.5).rounded(.down)), nearestY = Int((py + 0.5).rounded(.down))
        if nearestX >= 0, nearestX < nx, nearestY >= 0, nearestY < ny {
            let dx = Double(nearestX) - px, dy = Double(nearestY) - py
            let d2 = dx * dx + dy * dy
            mark(nearestY * nx + nearestX, Float(d2 <= r2 ? c * (1 - 0.5 * d2 / r2) : c * 0.5))
        }
    }

    private mutating func mark(_ i: Int, _ dark: Float) {
        vessel[i] = 1
        if dark > darkness[i] { darkness[i] = dark }
    }
}
