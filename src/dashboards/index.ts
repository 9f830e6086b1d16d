// Public API of the dashboards module (filled in by its issue).
export {};
