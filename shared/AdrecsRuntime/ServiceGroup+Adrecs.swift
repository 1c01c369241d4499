public import Logging
public import ServiceLifecycle

extension ServiceGroup {
    /// Seconds a service may take to finish its current unit of work after SIGTERM; below a
    /// container's usual 10 s stop timeout.
    public static let adrecsGracefulShutdown: Duration = .seconds(8)

    /// The group every adrecs executable runs: `services` in dependency order, graceful shutdown on
    /// SIGTERM and SIGINT (in reverse order), forced after `maximumGracefulShutdownDuration`.
    public static func adrecs(
        services: [any Service],
        logger: Logger,
        maximumGracefulShutdownDuration: Duration = adrecsGracefulShutdown
    ) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = maximumGracefulShutdownDuration
        return ServiceGroup(configuration: configuration)
    }
}
