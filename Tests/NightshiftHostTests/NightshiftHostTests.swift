import Testing
@testable import NightshiftHost
