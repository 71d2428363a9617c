import CCrypto
import Foundation
import Glibc

/// An opened plugin file that passed the file-system checks.
///
/// The file is opened once and every later step (digest, `dlopen`) goes through the same descriptor, so the file
/// checked is the file loaded — no window for a swap between check and load.
struct PluginFile: ~Copyable {
    let path: String
    /// The path with every symlink resolved: the file actually checked, hashed and loaded.
    let canonicalPath: String
    let descriptor: Int32

    /// Opens `path` and refuses anything that is not a regular file, or whose file or directory is group/world-writable.
    init(path: String) throws(PluginLoadError) {
        // Check the file that will be loaded: through a symlink, that is the target and the target's directory.
        guard let resolved = realpath(path, nil) else {
            throw PluginLoadError(.missingFile, path: path, "no such file (\(String(cString: strerror(errno))))")
        }
        let canonical = String(cString: resolved)
        free(resolved)
        var info = stat()
        guard stat(canonical, &info) == 0 else {
            throw PluginLoadError(.missingFile, path: path, "no such file (\(String(cString: strerror(errno))))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw PluginLoadError(.notRegularFile, path: path, "not a regular file")
        }
        guard info.st_mode & (S_IWGRP | S_IWOTH) == 0 else {
            let mode = String(info.st_mode & 0o7777, radix: 8)
            throw PluginLoadError(.insecurePermissions, path: path, "file is group- or world-writable (mode \(mode))")
        }
        let directory = (canonical as NSString).deletingLastPathComponent
        var directoryInfo = stat()
        if stat(directory.isEmpty ? "." : directory, &directoryInfo) == 0,
            directoryInfo.st_mode & (S_IWGRP | S_IWOTH) != 0, directoryInfo.st_mode & S_ISVTX == 0
        {
            let mode = String(directoryInfo.st_mode & 0o7777, radix: 8)
            throw PluginLoadError(
                .insecurePermissions, path: path, "directory \(directory) is group- or world-writable (mode \(mode))")
        }
        let fd = Glibc.open(canonical, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw PluginLoadError(.missingFile, path: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        var opened = stat()
        guard fstat(fd, &opened) == 0, opened.st_ino == info.st_ino, opened.st_dev == info.st_dev else {
            close(fd)
            throw PluginLoadError(.notRegularFile, path: path, "file changed while it was being opened")
        }
        self.path = path
        canonicalPath = canonical
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// The SHA-256 of the file's contents, lower-case hex.
    func sha256() throws(PluginLoadError) -> String {
        guard let context = EVP_MD_CTX_new() else {
            throw PluginLoadError(.malformedInfo, path: path, "cannot allocate a digest context")
        }
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 { throw PluginLoadError(.missingFile, path: path, "read failed while hashing") }
            if count == 0 { break }
            EVP_DigestUpdate(context, buffer, count)
            offset += off_t(count)
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }

    /// `dlopen(RTLD_NOW | RTLD_LOCAL)` of the checked file. Never closed: Swift images cannot be unloaded safely.
    ///
    /// The path is opened by its canonical name (the dynamic loader identifies libraries by name, so a reused
    /// `/proc/self/fd/N` name could alias an earlier plugin), after confirming it is still the file that was checked.
    func dynamicOpen() throws(PluginLoadError) -> UnsafeMutableRawPointer {
        var checked = stat()
        var current = stat()
        let canonical = canonicalPath
        guard fstat(descriptor, &checked) == 0, stat(canonical, &current) == 0,
            checked.st_ino == current.st_ino, checked.st_dev == current.st_dev
        else {
            throw PluginLoadError(.notRegularFile, path: path, "file was replaced while it was being checked")
        }
        _ = dlerror()
        guard let handle = dlopen(canonical, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw PluginLoadError(.openFailed, path: path, reason)
        }
        return handle
    }
}
