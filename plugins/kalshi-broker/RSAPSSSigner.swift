import CCrypto
import Foundation
import NightshiftKit

/// Signs messages with an RSA private key: RSA-PSS, SHA-256, MGF1-SHA-256, salt length equal to the digest length.
///
/// The key is parsed once (PKCS#1 or PKCS#8 PEM, unencrypted) and held by OpenSSL until the signer goes away. Error
/// messages name what failed, never the key.
final class RSAPSSSigner {
    private let key: OpaquePointer

    /// Parses an unencrypted PEM private key.
    ///
    /// - Throws: ``PluginError/invalidConfig(_:file:line:)`` when the text is not an RSA private key.
    init(pem: String) throws {
        ERR_clear_error()
        let bytes = Array(pem.utf8)
        let parsed: OpaquePointer? = bytes.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            // A callback that supplies no passphrase: an encrypted key fails instead of prompting on a terminal.
            return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        ERR_clear_error()
        guard let parsed else {
            throw PluginError.invalidConfig("private_key: not an unencrypted PEM private key")
        }
        guard EVP_PKEY_get_base_id(parsed) == EVP_PKEY_RSA else {
            EVP_PKEY_free(parsed)
            throw PluginError.invalidConfig("private_key: not an RSA key")
        }
        key = parsed
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// The RSA-PSS signature of `message`.
    ///
    /// - Throws: a fatal ``PluginError`` if OpenSSL fails (it does not for a valid key).
    func sign(_ message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw PluginError.fatal("signing: out of memory") }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
        }
        var keyContext: OpaquePointer?
        guard EVP_DigestSignInit(context, &keyContext, EVP_sha256(), nil, key) == 1,
            EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) > 0,
            EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) > 0,
            EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, EVP_sha256()) > 0,
            message.withUnsafeBytes({ EVP_DigestSignUpdate(context, $0.baseAddress, $0.count) }) == 1
        else { throw PluginError.fatal("signing: OpenSSL could not set up RSA-PSS") }
        var length = 0
        guard EVP_DigestSignFinal(context, nil, &length) == 1, length > 0 else {
            throw PluginError.fatal("signing: OpenSSL could not size the signature")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSignFinal(context, &signature, &length) == 1 else {
            throw PluginError.fatal("signing: OpenSSL could not sign")
        }
        return Array(signature.prefix(length))
    }
}

/// Where the private key comes from: PEM text in the configuration, or a file it names.
enum PrivateKeySource {
    /// The PEM text for a configured `private_key` value.
    ///
    /// Text containing `-----BEGIN` is PEM (literal `\n` sequences, as environment variables carry them, become line
    /// breaks); anything else is a path.
    static func pem(from value: String) throws -> String {
        if value.contains("-----BEGIN") {
            return value.contains("\n") ? value + "\n" : value.replacingOccurrences(of: "\\n", with: "\n") + "\n"
        }
        guard let data = FileManager.default.contents(atPath: value) else {
            // The path is part of a secret value: the message does not repeat it.
            throw PluginError.invalidConfig("private_key: the PEM file it names cannot be read")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
