/// A question a notebook asks its reader (★★★ in the course's notebooks), answered in the
/// answers file under `## Question <number>`.
public struct NotebookQuestion: Sendable, Equatable {
    public var number: Int
    /// A few words, for headings.
    public var title: String
    /// The question as the lab asks it.
    public var text: String
    /// A tip, if the lab gives one.
    public var hint: String?

    public init(number: Int, title: String, text: String, hint: String? = nil) {
        self.number = number; self.title = title; self.text = text; self.hint = hint
    }
}
