import Foundation
import KalshiBroker
import NightshiftKitTesting

/// The Kalshi broker plugin's order-reply decoder (submit and query), see `BrokerFuzzing.run`.
///
/// Requests are signed, so the plugin needs a private key: one is generated with `openssl` when the target first
/// runs (1024 bits, enough to sign and cheap to sign with; the replies, not the key, are under test).
func fuzzKalshiBroker(_ data: UnsafeRawBufferPointer) {
    let harness = PluginFuzzing.harness(KalshiBrokerPlugin.self, config: kalshiFuzzConfig)
    BrokerFuzzing.run(harness, ticker: "KXHIGHNY-25JAN02-B42.5", outcome: .yes, data)
}

/// The broker's config with a freshly generated PEM key.
private let kalshiFuzzConfig: String = {
    let openssl = Process()
    openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    openssl.arguments = ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]
    let output = Pipe()
    openssl.standardOutput = output
    openssl.standardError = FileHandle.nullDevice
    do { try openssl.run() } catch { preconditionFailure("cannot run openssl: \(error)") }
    let pem = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    openssl.waitUntilExit()
    precondition(openssl.terminationStatus == 0 && pem.contains("PRIVATE KEY"), "openssl could not make a key")
    let escaped = pem.replacingOccurrences(of: "\n", with: "\\n")
    return #"{"key_id":"fuzz-key","private_key":"\#(escaped)"}"#
}()
