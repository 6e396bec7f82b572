import ArgumentParser

/// `parley`: the meeting server (`parley serve`, the default) and its operator tools.
@main
struct Parley: AsyncParsableCommand {
    static let version = "0.2.0"

    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A secure, on-prem meeting media server: signaling, SFU, audio mixing and recording.",
        discussion: """
            With no arguments, Parley serves a working deployment on this machine: signaling and the \
            meeting page on http://127.0.0.1:7880, media on loopback UDP, a generated development \
            secret with a ready-to-use token printed, recordings in ./recordings.
            """,
        version: Parley.version,
        subcommands: [ServeCommand.self, TokenCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
