import ArgumentParser
import Foundation
import Signaling

/// `parley token`: prints a signed token for a participant, for operators.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a signed join token (HS256) for a room and an identity.",
        discussion: """
            The secret is the server's (--secret, PARLEY_SECRET or the configuration file's \
            "secret"). Grants: join, publish, subscribe, record, admin, create.
            """
    )

    @Option(help: "The room the token admits to.")
    var room: String

    @Option(help: "The participant's identity (the token's sub claim).")
    var identity: String

    @Option(help: "A display name (the token's name claim).")
    var name: String?

    @Option(help: "Comma-separated grants.")
    var grants: String = "join,publish,subscribe"

    @Option(help: "Lifetime in seconds.")
    var ttl: Int = 3600

    @Option(help: "The token secret (also PARLEY_SECRET or the configuration file).")
    var secret: String?

    @Option(help: "The issuer (default parley, or PARLEY_ISSUER / the configuration file).")
    var issuer: String?

    @Option(help: "A JSON configuration file to read the secret and issuer from (also PARLEY_CONFIG).")
    var config: String?

    func run() async throws {
        var configuration = ServerConfiguration()
        let environment = ProcessInfo.processInfo.environment
        if let file = self.config ?? environment["PARLEY_CONFIG"] {
            try configuration.apply(file: file)
        }
        try configuration.apply(environment: environment)
        if let secret = self.secret {
            try configuration.set("secret", to: secret, from: "--secret")
        }
        if let issuer = self.issuer {
            try configuration.set("issuer", to: issuer, from: "--issuer")
        }
        guard let secret = configuration.secret else {
            throw ValidationError(
                "no secret: pass --secret, set PARLEY_SECRET or give a configuration file with \"secret\" (the server prints its development token itself)"
            )
        }
        guard (1...(366 * 86_400)).contains(self.ttl) else {
            throw ValidationError("--ttl must be between 1 second and a year")
        }
        let grants = self.grants.split(separator: ",").map { Grant(String($0.trimmingCharacters(in: .whitespaces))) }
        let known: Set<Grant> = [.join, .publish, .subscribe, .record, .admin, .create]
        if let unknown = grants.first(where: { !known.contains($0) }) {
            throw ValidationError("unknown grant '\(unknown)': use join, publish, subscribe, record, admin, create")
        }
        let issuer = try await TokenIssuer(
            key: try TokenKey.hs256(secret: Array(secret.utf8)),
            issuer: configuration.issuer
        )
        let token = try await issuer.issue(
            identity: self.identity,
            room: self.room,
            name: self.name,
            grants: grants,
            ttl: .seconds(self.ttl)
        )
        print(token)
    }
}
