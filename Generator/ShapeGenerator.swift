// ShapeGenerator — the course's synthetic shape generator (after tf_unet's image_gen.py).
//
//   GrayScaleDataProvider.swift  the provider the lab calls: `provider(n)` → images, labels
//   RgbDataProvider.swift        the same shapes, grey mapped to RGB (tf_unet's to_rgb)
//   ShapeGeometry.swift          border, r_min, r_max scaled with the image size
//   ShapeSample.swift            one drawn image: pixels, class map and the shapes drawn
//   ShapeDrawing.swift           draws one sample from a seeded random stream
//   GreyToRGB.swift              the grey → RGB mapping
//   BatchSlices.swift            one sample of a B×H×W×C batch as a plain [Float] (for figures)
//   GeneratorError.swift         the error bad parameters throw
