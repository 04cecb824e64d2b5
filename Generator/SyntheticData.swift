// SyntheticData — synthetic images with exact labels, in the folder Generator/.
//
// The course's shapes (after tf_unet's image_gen.py):
//
//   GrayScaleDataProvider.swift  the provider the lab calls: `provider(n)` → images, labels
//   RgbDataProvider.swift        the same shapes, grey mapped to RGB (tf_unet's to_rgb)
//   ShapeGeometry.swift          border, r_min, r_max scaled with the image size
//   ShapeSample.swift            one drawn image: pixels, class map and the shapes drawn
//   ShapeDrawing.swift           draws one sample from a seeded random stream
//   GreyToRGB.swift              the grey → RGB mapping
//   BatchSlices.swift            one sample of a B×H×W×C batch as a plain [Float] (for figures)
//   GeneratorError.swift         the error bad parameters throw
//
// Retinal-vessel data (the advanced lab):
//
//   Vessels/        VesselDataProvider (fundus-like images, one-hot labels, FOV masks) and the
//                   recipe it follows (FundusGeometry, FundusDrawing, VesselTreeGrowth,
//                   VesselCanvas); OCTAVolumeProvider and VolumeProjection (depth stacks → 2-D)
//   Preprocessing/  ByteImage (8-bit grey); GreyConversion, HistogramEqualization, CLAHE and
//                   GammaCorrection, matching OpenCV / retina-unet on 8-bit images
//   Augmentation/   SegmentationSample; GeometricTransforms (image, mask and FOV together),
//                   PhotometricTransforms (image only), JointAugmentation (a seeded pipeline)
//   Patches/        RandomPatches (centres inside the FOV) and SlidingWindow (MONAI's rule)
