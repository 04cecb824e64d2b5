import Notebook

/// The advanced lab's ten ★★★ questions, in the spirit of the seeds' own (what did you see, why,
/// what would you change), asked by the cells in this order.
public enum AdvancedQuestions {
    public typealias Question = NotebookQuestion

    public static let all: [Question] = [
        Question(number: 1, title: "Accuracy on thin structures",
                 text: "The cell shows that predicting \"no vessel\" everywhere already scores a high pixel accuracy "
                     + "inside the field of view. Which of the printed scores would you report for a vessel "
                     + "segmentation, and why? What would the all-background predictor's numbers look like on "
                     + "DRIVE, where vessels cover about 12 % of the FOV?",
                 hint: "Accuracy counts the true negatives; sensitivity, F1 (= Dice) and IoU do not reward them."),
        Question(number: 2, title: "Equalisation or CLAHE",
                 text: "Compare the two histograms and the two images. Why does global histogram equalisation "
                     + "over-brighten the dark border and the noise, while CLAHE keeps the thin vessels visible? "
                     + "What does CLAHE's clip limit (2.0) protect against?",
                 hint: nil),
        Question(number: 3, title: "What the mask must follow",
                 text: "Which augmentations must be applied to the mask and the field of view as well as to the "
                     + "image, and which to the image only? Look at the printed agreement of a mask that was not "
                     + "rotated with its rotated image: what would a network learn from such pairs?",
                 hint: "Geometric transforms move pixels; photometric ones change values."),
        Question(number: 4, title: "Write focalLoss",
                 text: "Write the focal loss from logits (function focalLoss; the cell names its file) so that it "
                     + "matches torchvision's sigmoid_focal_loss and stays finite for logits of ±100. Why does "
                     + "computing log p from p = sigmoid(x) give NaN there, and why does working with logits not?",
                 hint: "log σ(x) = −softplus(−x) and log(1 − σ(x)) = −softplus(x); softplus is finite everywhere."),
        Question(number: 5, title: "Which loss for imbalance",
                 text: "The same UNet was trained with BCE, focal, soft Dice and 1 − IoU. Compare the curves and "
                     + "the table: which loss gives the best F1 at threshold 0.5, which the best AUC, and why can "
                     + "they disagree? Seed 002 reports that its 1 − IoU loss did not learn at first: what "
                     + "must a soft IoU be computed from for gradients to flow?",
                 hint: "Focal and Dice losses move the probabilities away from 0.5 in different ways: AUC only "
                     + "looks at the ranking, F1 at the threshold."),
        Question(number: 6, title: "Write dropBlock",
                 text: "Write dropBlockGamma and dropBlock (the cell names the file). Why does dropping single "
                     + "pixels (dropout) regularise a convolutional network less than dropping blocks? Why must "
                     + "γ be larger than (1 − keep_prob)/block_size² by the factor H·W/((H − bs + 1)(W − bs + 1))?",
                 hint: "Neighbouring activations are correlated: a network fills in a single missing pixel from "
                     + "its neighbours."),
        Question(number: 7, title: "Write SpatialAttention",
                 text: "Write the SpatialAttention module (mean and max over channels, a 7×7 convolution without "
                     + "bias, a sigmoid, a product). How many parameters does it have, and why so few? In the "
                     + "figure of the trained SA-UNet's attention map, where does the network look? What does "
                     + "the DAC block's largest receptive field buy a network whose decoder has no skip connections?",
                 hint: nil),
        Question(number: 8, title: "Four networks, one data set",
                 text: "Compare the four networks' parameters, time per epoch and scores. Which differences come "
                     + "from the architecture (skip connections, attention, DropBlock) and which from the "
                     + "schedule? Why are the numbers not comparable with the papers' DRIVE numbers printed "
                     + "beside them?",
                 hint: nil),
        Question(number: 9, title: "Write slidingWindowPredict",
                 text: "Write slidingWindowPredict (windows every patch·(1 − overlap) pixels, the last one moved "
                     + "to the border, overlaps averaged). Where do seams come from when windows are pasted "
                     + "without averaging, and why does the prediction of a window's border differ from that of "
                     + "its centre?",
                 hint: "Zero padding: a convolution near a window's edge sees zeros where the image continues."),
        Question(number: 10, title: "Write rocAUC, choose a threshold",
                 text: "Write rocAUC (tied scores form one threshold). Then read the threshold table: which "
                     + "threshold would you choose for screening, where a missed vessel is worse than a false "
                     + "alarm, and which for measuring vessel width? Why is the AUC the same whatever you choose?",
                 hint: nil),
    ]
}
