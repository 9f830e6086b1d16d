// Public API of the opencost module: the OpenCost cost exporter and its dashboard.
export * from './opencost';
export * from './dashboard';
