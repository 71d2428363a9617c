import MeanReversion
import NightshiftABI
import NightshiftKit
import NightshiftKitTesting
import PaperBroker
import SyntheticQuotes
import Testing

@Suite struct ExportTableTests {
    /// The table `export` returns, read as the host reads it.
    private func table<P: Plugin>(_ type: P.Type) -> ns_plugin_v1 {
        export(type).assumingMemoryBound(to: ns_plugin_v1.self).pointee
    }

    @Test func declaresSizeVersionsAndLayoutHash() {
        let table = table(SyntheticQuotesPlugin.self)
        #expect(Int(table.size) == MemoryLayout<ns_plugin_v1>.size)
        #expect(table.abi_major == NS_ABI_MAJOR)
        #expect(table.abi_minor == NS_ABI_MINOR)
        #expect(table.layout_hash == ns_layout_hash())
        #expect(table.layout_hash == PluginHarness.hostLayoutHash)
        #expect(table.create != nil && table.destroy != nil && table.last_error != nil)
        #expect(table.poll_source!.pointee.size == UInt32(MemoryLayout<ns_poll_source_v1>.size))
    }

    @Test func carriesTheInfoStringsNulTerminated() throws {
        let table = table(MeanReversionPlugin.self)
        let info = MeanReversionPlugin.info
        let name = try #require(table.name.ptr)
        #expect(String(cString: name) == info.name)
        #expect(table.name.len == info.name.utf8.count)
        #expect(String(cString: table.version.ptr!) == info.version)
        #expect(String(cString: table.description.ptr!) == info.description)
        #expect(String(cString: table.config_schema.ptr!) == info.configSchema)
    }

    @Test func kindsFollowTheProtocolsATypeAdopts() {
        let cases: [(ns_plugin_v1, UInt32)] = [
            (table(SyntheticQuotesPlugin.self), UInt32(NS_KIND_POLL_SOURCE)),
            (table(MeanReversionPlugin.self), UInt32(NS_KIND_STRATEGY)),
            (table(PaperBrokerPlugin.self), UInt32(NS_KIND_BROKER)),
            (table(PlainStrategy.self), UInt32(NS_KIND_STRATEGY)),
            (
                table(ProbePlugin.self),
                UInt32(NS_KIND_POLL_SOURCE | NS_KIND_STREAM_SOURCE | NS_KIND_STRATEGY | NS_KIND_BROKER)
            ),
        ]
        for (table, kinds) in cases {
            #expect(table.kinds == kinds)
            #expect((table.poll_source != nil) == (kinds & UInt32(NS_KIND_POLL_SOURCE) != 0))
            #expect((table.stream_source != nil) == (kinds & UInt32(NS_KIND_STREAM_SOURCE) != 0))
            #expect((table.strategy != nil) == (kinds & UInt32(NS_KIND_STRATEGY) != 0))
            #expect((table.broker != nil) == (kinds & UInt32(NS_KIND_BROKER) != 0))
        }
    }

    @Test func isBuiltOncePerType() {
        #expect(export(PaperBrokerPlugin.self) == export(PaperBrokerPlugin.self))
        #expect(export(PaperBrokerPlugin.self) != export(MeanReversionPlugin.self))
        // Each type has its own create trampoline, so the host's create builds the right type.
        #expect(
            unsafeBitCast(table(PaperBrokerPlugin.self).create, to: Int.self)
                != unsafeBitCast(table(MeanReversionPlugin.self).create, to: Int.self))
    }

    @Test func harnessDeclarationMatchesTheTable() throws {
        let harness = try PluginHarness(PlainStrategy.self)
        #expect(harness.declaration.name == "plain")
        #expect(harness.declaration.version == "2.1.0")
        #expect(harness.declaration.isStrategy && !harness.declaration.isBroker)
        #expect(harness.declaration.configSchema.contains(#""additionalProperties":false"#))
    }
}
