import ArgumentParser

/// `sift extract` (being built).
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract")

    func run() throws {
        throw ValidationError("extract is not available yet")
    }
}
