import Foundation
import UNetKit

/// One vessel segment waiting to grow: where it starts, its direction (radians, x = column
/// to the right, y = row downwards) and its width in pixels.
struct VesselSeed {
    var x: Double, y: Double, angle: Double, width: Double
}

/// Grows vessel trees from their seeds into a `VesselCanvas`.
///
/// Segments grow first in, first out. A segment of width w:
/// 1. has length L = U(6, 14) · max(w, 1.5) px and curvature k = U(−1, 1) · 0.5 / L rad/px;
/// 2. advances in steps of ½ px: angle += ½ k + N(0, 0.03), p += ½ (cos angle, sin angle);
///    when p leaves the domain (e.g. comes within 1 px of the FOV's edge) the branch ends,
///    otherwise p is stamped with width w;
/// 3. at its end splits by Murray's law, w³ = w₁³ + w₂³: α = U(0.3, 1), w₁ = w (1 + α³)^(−1/3),
///    w₂ = α w₁, leaving at Murray's optimal angles
///    cos θ₁ = (w⁴ + w₁⁴ − w₂⁴) / (2 w² w₁²), cos θ₂ = (w⁴ + w₂⁴ − w₁⁴) / (2 w² w₂²)
///    (the thinner child turns more), on random sides: angle ± (θ₁ + N(0, 0.1)) and
///    angle ∓ (θ₂ + N(0, 0.1)). A child thinner than `stopWidth` is not grown.
///
/// Widths therefore shrink towards the tips, down to `stopWidth` (drawn at least 1 px wide).
/// A budget of 10 s² steps per image (s the shorter side) bounds the work.
struct VesselTreeGrowth {
    /// Centreline steps drawn, in ½ px.
    private(set) var steps = 0
    /// Σ max(w, 1) over the steps drawn (the length-weighted drawn width × steps).
    private(set) var widthSum = 0.0
    /// Steps drawn with max(w, 1) < 2 px.
    private(set) var thinSteps = 0
    /// Segments grown (including ones that ended at the domain's edge).
    private(set) var segments = 0

    static let step = 0.5

    mutating func grow(_ seeds: [VesselSeed], stopWidth: Double, budget: Int,
                       inside: (Double, Double) -> Bool, canvas: inout VesselCanvas,
                       using rng: inout SeededGenerator) {
        var queue = seeds
        var head = 0
        var remaining = budget
        while head < queue.count {
            var s = queue[head]
            head += 1
            segments += 1
            let length = rng.uniform(6, 14) * max(s.width, 1.5)
            let curvature = rng.uniform(-1, 1) * 0.5 / length
            let count = Int((length / Self.step).rounded(.up))
            var ended = false
            for _ in 0..<count {
                guard remaining > 0 else { return }
                remaining -= 1
                s.angle += Self.step * curvature + 0.03 * rng.normal()
                s.x += Self.step * cos(s.angle)
                s.y += Self.step * sin(s.angle)
                guard inside(s.x, s.y) else { ended = true; break }
                canvas.stamp(x: s.x, y: s.y, width: s.width)
                steps += 1
                let drawn = max(s.width, 1)
                widthSum += drawn
                if drawn < 2 { thinSteps += 1 }
            }
            if ended { continue }
            let alpha = rng.uniform(0.3, 1)
            let w = s.width
            let w1 = w * pow(1 + alpha * alpha * alpha, -1.0 / 3)
            let w2 = alpha * w1
            let theta1 = Self.murrayAngle(w, w1, w2)
            let theta2 = Self.murrayAngle(w, w2, w1)
            let side: Double = rng.nextUnit() < 0.5 ? 1 : -1
            let a1 = s.angle + side * (theta1 + 0.1 * rng.normal())
            let a2 = s.angle - side * (theta2 + 0.1 * rng.normal())
            if w1 >= stopWidth { queue.append(VesselSeed(x: s.x, y: s.y, angle: a1, width: w1)) }
            if w2 >= stopWidth { queue.append(VesselSeed(x: s.x, y: s.y, angle: a2, width: w2)) }
        }
    }

    /// The angle between a parent of width w and its child of width `child` (the other child
    /// `other`) that minimises the tree's cost under Murray's law.
    static func murrayAngle(_ w: Double, _ child: Double, _ other: Double) -> Double {
        let w2 = w * w, c2 = child * child, o2 = other * other
        let cosine = (w2 * w2 + c2 * c2 - o2 * o2) / (2 * w2 * c2)
        return acos(min(1, max(-1, cosine)))
    }
}
