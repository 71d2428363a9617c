import Testing
@testable import NightshiftConfig
