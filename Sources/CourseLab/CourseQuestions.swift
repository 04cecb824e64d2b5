import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// The seven ★★★ questions of the course's notebook (seed 004), translated from the Chinese.
public enum CourseQuestions {
    public typealias Question = NotebookQuestion

    public static let all: [Question] = [
        Question(number: 1, title: "Which layout, grey or RGB?",
                 text: "From the output above: is the data laid out as B×H×W×C or as B×C×H×W? Can you tell whether "
                     + "the images are grey-scale or RGB? Why?",
                 hint: "B = batch size, C = channels, H = height, W = width. PyTorch uses B×C×H×W, TensorFlow "
                     + "B×H×W×C; in a real training run you have to get the layout of the input right yourself, "
                     + "as the code below does."),
        Question(number: 2, title: "Plot the loss curve",
                 text: "Read the training code above and, from what it recorded at every step, plot how the loss "
                     + "changed during training. You need not change the training code (though you may, to draw "
                     + "a curve of your own). The lab draws it for you below from the recorded losses (also "
                     + "saved as a CSV file): say what the curve shows.",
                 hint: nil),
        Question(number: 3, title: "Write JaccardCoeff",
                 text: "Using the definition of the Jaccard index, complete the JaccardCoeff exercise (function "
                     + "jaccardCoeff in Labs/JaccardCoeff.swift) so that it computes the Jaccard value of a "
                     + "prediction. Then run the test below and check that your output is right: "
                     + "1, 0.3333, 1.1111e-05 and 1.",
                 hint: "Follow how DiceCoeff is written. When both masks are all zeros the denominator is 0, so "
                     + "a small smoothing term ε is added to numerator and denominator; it is small enough not "
                     + "to distort the value for non-empty masks."),
        Question(number: 4, title: "From network output to prediction",
                 text: "In a segmentation model, how do you get the predicted mask from the output of the "
                     + "convolutional network? Read and run the prediction code below, then analyse it briefly.",
                 hint: "The network outputs unbounded numbers; the sigmoid maps each to 0…1 so that the pixels' "
                     + "probabilities can be compared. The network has one output channel per class plus the "
                     + "background: channel 0 is the probability of background, channel 1 that of the first "
                     + "kind of object. VOC, with 20 object classes, would need 21 channels; here there is one "
                     + "object class, so 2."),
        Question(number: 5, title: "Badly predicted images",
                 text: "Run the prediction again and again, find images whose prediction is poor, and analyse "
                     + "why those images are predicted badly. (Can the human eye tell exactly where the wrong "
                     + "boundaries are?)",
                 hint: nil),
        Question(number: 6, title: "Write UNet_shallow",
                 text: "1. Create a new network UNet_shallow (class UNetShallow in Labs/UNetShallow.swift) that "
                     + "down-samples only twice — three levels in all — written like the UNet class. "
                     + "2. Train the new model and look at its results.",
                 hint: nil),
        Question(number: 7, title: "Write deconv2d",
                 text: "Complete the deconvolution function deconv2d (Labs/Deconv2d.swift) as you understand it, "
                     + "and check in the code that follows that it is correct.",
                 hint: "fill zeros → convolve (padding 1, stride 1) → crop one pixel on each side."),
    ]
}
