// Public API of the kepler module: the Kepler energy exporter and its dashboard.
export * from './kepler';
export * from './dashboard';
