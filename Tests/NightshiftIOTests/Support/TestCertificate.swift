import Foundation

/// A self-signed certificate for 127.0.0.1 and localhost, made with the `openssl` command in a fresh temporary folder.
struct TestCertificate {
    struct GenerationError: Error {}

    let directory: URL
    var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    var keyPath: String { directory.appendingPathComponent("key.pem").path }

    /// Generates a new key and certificate valid for two days.
    static func generate() throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("nightshift-io-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = TestCertificate(directory: directory)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", certificate.keyPath, "-out", certificate.certificatePath,
            "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:127.0.0.1",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw GenerationError() }
        return certificate
    }

    /// Removes the temporary folder.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The peer arguments that make it serve TLS with this certificate.
    var peerArguments: [String] {
        ["--tls-cert", certificatePath, "--tls-key", keyPath]
    }
}
