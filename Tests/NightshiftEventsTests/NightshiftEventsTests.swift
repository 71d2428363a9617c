import Testing
@testable import NightshiftEvents
