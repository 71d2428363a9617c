import Testing
@testable import NightshiftResilience
