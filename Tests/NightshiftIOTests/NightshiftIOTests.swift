import Testing
@testable import NightshiftIO
