import ArgumentParser

/// `sift dedup` (being built).
struct DedupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dedup")

    func run() throws {
        throw ValidationError("dedup is not available yet")
    }
}
