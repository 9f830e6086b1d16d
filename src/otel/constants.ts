/** Internal constants of the otel module (not part of the jsii API). */

/** The collector-contrib release the model is written against (and the image is pinned to). */
export const OTELCOL_VERSION = '0.155.0';

/** Port of the collector's own metrics endpoint (`service.telemetry`). */
export const OTELCOL_TELEMETRY_PORT = 8888;
