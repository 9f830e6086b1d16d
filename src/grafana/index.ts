// Public API of the grafana module (filled in by its issue).
export {};
