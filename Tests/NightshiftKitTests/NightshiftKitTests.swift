import Testing
@testable import NightshiftKitTesting
