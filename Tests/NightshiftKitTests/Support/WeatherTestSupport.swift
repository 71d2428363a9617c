import Foundation
import NightshiftKit
import Testing

/// Recorded protocol messages under `Tests/NightshiftKitTests/Fixtures`.
enum Fixture {
    static let directory = BuildProducts.repositoryRoot.appending(path: "Tests/NightshiftKitTests/Fixtures")

    /// The bytes of `Fixtures/<name>`.
    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appending(path: name)))
    }

    /// A response carrying `Fixtures/<name>` as its body.
    static func response(_ name: String, status: Int = 200) throws -> HTTPResponse {
        HTTPResponse(status: status, headers: [HTTPHeader("content-type", "application/json")], body: try bytes(name))
    }

    /// `Fixtures/<name>` parsed as a JSON object.
    static func object(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes(name))) as? [String: Any])
    }
}

/// Runs command-line tools (`openssl`) for tests.
enum Tool {
    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs `arguments` through `/usr/bin/env`, collecting stdout and stderr together.
    @discardableResult
    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }
}

/// An RSA key pair made with the `openssl` command line in a fresh directory, removed by ``remove()``.
struct TestKeyPair {
    let directory: URL
    var privateKeyPath: String { directory.appending(path: "key.pem").path }
    var publicKeyPath: String { directory.appending(path: "pub.pem").path }

    /// Generates a 2048-bit key (`openssl genpkey -algorithm RSA`) and its public half (`openssl pkey -pubout`).
    static func generate() throws -> TestKeyPair {
        let directory = FileManager.default.temporaryDirectory.appending(path: "nightshift-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pair = TestKeyPair(directory: directory)
        let generated = try Tool.run([
            "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pair.privateKeyPath,
        ])
        let exported = try Tool.run(["openssl", "pkey", "-in", pair.privateKeyPath, "-pubout", "-out", pair.publicKeyPath])
        guard generated.status == 0, exported.status == 0 else {
            throw Failure(description: "openssl failed: \(generated.output) \(exported.output)")
        }
        return pair
    }

    /// The private key's PEM text.
    func privatePEM() throws -> String {
        try String(contentsOfFile: privateKeyPath, encoding: .utf8)
    }

    /// Whether `openssl dgst` verifies `signature` over `message` as RSA-PSS SHA-256 with salt = digest length.
    func opensslVerifies(message: String, signature: [UInt8]) throws -> Bool {
        let name = UUID().uuidString
        let messagePath = directory.appending(path: "\(name).txt")
        let signaturePath = directory.appending(path: "\(name).sig")
        try Data(message.utf8).write(to: messagePath)
        try Data(signature).write(to: signaturePath)
        let result = try Tool.run([
            "openssl", "dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:-1",
            "-verify", publicKeyPath, "-signature", signaturePath.path, messagePath.path,
        ])
        return result.status == 0 && result.output.contains("Verified OK")
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}

/// A JSON string literal for embedding text (a PEM) in a configuration.
func jsonString(_ text: String) -> String {
    let data = try? JSONSerialization.data(withJSONObject: [text], options: [])
    let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
    return String(array.dropFirst().dropLast())
}
