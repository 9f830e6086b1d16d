// Public API of the prometheus module (filled in by its issue).
export {};
