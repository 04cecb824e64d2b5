import Foundation
import UNetKit
import SegmentationModels
import SyntheticData
import Figures
import Notebook
import LabExercises
import Experiments
import Benchmarks

/// Cell 3 (seed 004, section 2.2): the layout transpose, the loss and optimiser, and the
/// course's training loop on the UNet.
enum TrainingCell {
    static func run(_ c: CourseCell) throws {
        let s = c.lab.settings
        c.say("Training needs a loss and an optimiser. The network's outputs go through a sigmoid, are flattened, "
              + "and compared with the flattened one-hot labels by binary cross-entropy (`BCELoss`) — as in the "
              + "classification labs, only per pixel. SGD updates the weights: learning rate 0.001, momentum 0.9, "
              + "weight decay 0.0005.")
        c.say("Since the data is generated, there is no data set to walk through: an epoch is simply a fixed number "
              + "of steps, and each step draws a fresh batch. The generator gives B×H×W×C (TensorFlow's layout) "
              + "and the network wants B×C×H×W (PyTorch's), so every batch is transposed first:")
        let (x, y) = try c.lab.generator(offset: 2)(s.training.batchSize)
        c.print("batch_x, batch_y = generator(\(s.training.batchSize))")
        c.print("batch_x = np.transpose(batch_x, axes=[0, 3, 1, 2])    # \(pythonShape(x.shape)) → "
                + pythonShape(try x.nhwcToNCHW().shape))
        c.print("batch_y = np.transpose(batch_y, axes=[0, 3, 1, 2])    # \(pythonShape(y.shape)) → "
                + pythonShape(try y.nhwcToNCHW().shape))
        c.say("Each step: forward pass, sigmoid, loss, `zero_grad`, `backward`, `step`; a log line every ten "
              + "steps, and after each epoch `eval_net` scores the Dice coefficient on fresh images. Two "
              + "deliberate differences from the course's `eval_net`: the number reported is the circles' "
              + "(foreground) Dice — the course also averages in the background channel, which is the complement "
              + "of the foreground and flatters the score; both are printed — and the network is put back into "
              + "training mode afterwards (the course's stays in evaluation mode, so BatchNorm stops using batch "
              + "statistics for the rest of training).")
        if s.name != LabSettings.course.name {
            c.say("This run uses the **\(s.name)** schedule (\(s.scheduleDescription)) rather than the course's "
                  + "(\(LabSettings.course.scheduleDescription)): expect a loss that has barely started to fall. "
                  + "Run `make lab` without QUICK=1 for the real thing.")
        } else {
            c.say("The course reports the loss falling from about 0.65 to about 0.1 in five epochs and a "
                  + "validation Dice between 0.89 and 0.99. On a CPU this takes a few minutes per network; the "
                  + "progress bar shows the time left.")
        }
        try LabTraining.train(.unet, in: c)
    }
}
