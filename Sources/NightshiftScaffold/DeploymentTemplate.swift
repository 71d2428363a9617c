/// The `deployment.yaml` a generated package carries: the new plugin wired to the plugins that ship with the SDK
/// (`synthetic-quotes`, `mean-reversion`, `paper-broker`), so `nightshift check` and `nightshift run` work at once.
enum DeploymentTemplate {
    static func text(for request: ScaffoldRequest, values: TemplateValues) -> String {
        let buildDirectory = request.language == .swift ? ".build/debug" : "."
        let header = """
            # A deployment to try {{name}} with the plugins that ship with Nightshift. From this directory:
            #   nightshift check deployment.yaml
            #   nightshift run deployment.yaml --for 30s
            # plugin_dirs: where `\(request.language == .swift ? "swift build" : "make")` puts lib{{name}}.so, then the SDK checkout's build products
            # (build those with `swift build` in the checkout). Events go to var/events.sqlite next to this file.
            host:
              name: {{name}}-trial
              plugin_dirs: [\(buildDirectory), {{sdkProductsYAML}}]
              data_dir: var
              shutdown_timeout: 5s

            events:
              store: sqlite
              stdout: json

            risk:
              max_order_qty: 10
              max_position: 20
              max_orders_per_minute: 60

            instances:

            """
        return values.render(header + instances(request))
    }

    private static func instances(_ request: ScaffoldRequest) -> String {
        let quotes = """
              - name: quotes
                plugin: synthetic-quotes
                schedule: {every: 500ms}
                config: {symbols: [AAPL], quotes_per_cycle: 5, seed: 7, start_price: 100, step: 0.004}

            """
        switch (request.kind, request.language) {
        case (.strategy, _):
            return quotes + """
                  - name: {{name}}
                    plugin: {{name}}
                    subscribe: [quotes]
                    route_to: paper
                    config: {symbol: AAPL, below: 100.2, quantity: 1}

                  - name: paper
                    plugin: paper-broker
                    subscribe: [quotes]

                """
        case (.source, let language):
            let config = language == .swift
                ? "{url: \"http://127.0.0.1:8080/quote\", symbol: AAPL}" : "{symbol: AAPL, price: 100, step: 0.5}"
            return """
                  - name: {{name}}
                    plugin: {{name}}
                    schedule: {every: 1s}
                    config: \(config)

                  - name: reversion
                    plugin: mean-reversion
                    subscribe: [{{name}}]
                    route_to: paper
                    config: {symbols: [AAPL], window: 5, threshold: 0.002, quantity: 1, max_position: 5}

                  - name: paper
                    plugin: paper-broker
                    subscribe: [{{name}}]

                """
        case (.broker, _):
            return quotes + """
                  - name: reversion
                    plugin: mean-reversion
                    subscribe: [quotes]
                    route_to: {{name}}
                    config: {symbols: [AAPL], window: 20, threshold: 0.002, quantity: 1, max_position: 5}

                  - name: {{name}}
                    plugin: {{name}}
                    subscribe: [quotes]

                """
        }
    }
}
