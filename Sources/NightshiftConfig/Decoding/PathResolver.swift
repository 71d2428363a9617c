/// Turns paths written in a deployment file into absolute, normalised paths.
///
/// Relative paths are relative to the deployment file's directory, not the working directory, so a unit file and an
/// interactive `nightshift check` agree on what a path means.
enum PathResolver {
    /// `path` made absolute against `base`, with `.` and `..` components folded.
    static func resolve(_ path: String, against base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        var components: [Substring] = []
        for component in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// The directory holding `file`, made absolute against `workingDirectory`.
    static func directory(of file: String, workingDirectory: String) -> String {
        let absolute = resolve(file, against: workingDirectory)
        guard let slash = absolute.lastIndex(of: "/"), slash != absolute.startIndex else { return "/" }
        return String(absolute[..<slash])
    }
}
